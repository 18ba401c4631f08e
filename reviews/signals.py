"""Signals the workflow sends after a page goes live or comes off the public site.

Both are sent inside the workflow's transaction, after its work: a receiver that keeps derived
rows in the database (a search index, a listing) commits or rolls back with the publication. A
receiver with effects outside the database (a purge, a webhook) should defer them with
``transaction.on_commit``.

Arguments: ``sender`` is the page's model class, ``instance`` the page, ``publication`` the
Publication that went live (``published``) or that the public no longer sees (``unpublished``).
"""

from django.dispatch import Signal

published = Signal()
unpublished = Signal()
