"""Signals the workflow sends after a page goes live or comes off the public site.

Both are sent inside the workflow's transaction, after its work: a receiver that keeps derived
rows in the database (a search index, a listing) commits or rolls back with the publication. A
receiver with effects outside the database (a purge, a webhook) should defer them with
``transaction.on_commit``.

Arguments: ``sender`` is the page's model class, ``instance`` the page, ``publication`` the
Publication that went live (``published``) or that the public no longer sees (``unpublished``).

``review_overdue`` is sent by ``manage.py review_due`` (outside any transaction) for each live
page whose review has expired, on every run: ``sender`` is Publication, ``publication`` the live
one; a receiver that should act once per publication keeps its own record.

``publication_scheduled`` is sent inside the workflow's transaction when a publisher schedules a
page to go live: ``sender`` is ScheduledPublication, ``item`` the order. The scheduled-publishing
task queues itself for that time (reviews/scheduled_publishing.py), so the workflow imports no
task module. ``takedown_scheduled`` is its counterpart for an order to take a live page off
the site (``sender`` ScheduledTakedown, ``item`` the order).
"""

from django.dispatch import Signal

published = Signal()
unpublished = Signal()
review_overdue = Signal()
publication_scheduled = Signal()
takedown_scheduled = Signal()
