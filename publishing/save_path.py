"""The one save path of every kind of page: after each change, the pages it changed.

A kind's pages change when their own rows are saved or deleted, or rows of a model the kind
follows (its parts, the references and treatments it shows, the pages it compares itself to).
Every route ends here: a recorded save (django-reversion announces each revision inside its
transaction: form, inline, bulk edit, autosave, a revert or recovery from history, an import),
and a deletion of a followed row, whoever deletes it. The workflow then keeps each page's stored
review state current and remembers who made the change: the revision's user, else the user of
the request being answered.
"""

import threading
from collections import defaultdict

import reversion
from django.apps import apps
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from reversion.signals import post_revision_commit

from publishing import registry
from reviews import workflow
from tovani.request_context import current_request

# Pages being deleted right now (model, pk): their parts' deletions record nothing on them.
_deleting = threading.local()


@receiver(post_revision_commit, dispatch_uid="publishing.save_path")
def record_saved_pages(sender, revision, versions, **kwargs):
    for page in pages_changed_by(versions):
        workflow.record_change(page, revision.user or author())


def watch(kind) -> None:
    """Hear the deletions of the kind's rows and of every concrete model it follows (each
    model by name: a receiver for every sender would cost every bulk delete its fast path)."""
    for model in apps.get_models():
        if issubclass(model, kind.model) or kind.follows_model(model):
            uid = f"publishing.save_path:{model._meta.label}"
            pre_delete.connect(remember_pages_of_deleted_row, model, dispatch_uid=uid)
            post_delete.connect(record_deleted_row, model, dispatch_uid=uid)


def remember_pages_of_deleted_row(sender, instance, **kwargs):
    if registry.is_registered(sender):
        _pages_being_deleted().add((sender, instance.pk))
    if follows(sender):
        # Read before the row goes: a deleted reference no longer says which pages cite it.
        instance._changes_pages = pages_changed_by_rows({sender: {instance.pk}}, own=False)


def record_deleted_row(sender, instance, **kwargs):
    deleting = _pages_being_deleted()
    for page in getattr(instance, "_changes_pages", []):
        if (type(page), page.pk) not in deleting:
            workflow.record_change(page, author())
    deleting.discard((sender, instance.pk))


def author():
    """Who is changing content now: the open revision's user, else the request's signed-in
    user; None when neither is known (a shell, a command without a user)."""
    if reversion.is_active() and reversion.get_user() is not None:
        return reversion.get_user()
    user = getattr(current_request(), "user", None)
    return user if user is not None and user.is_authenticated else None


def follows(model) -> bool:
    return any(kind.follows_model(model) for kind in registry.kinds())


def pages_changed_by(versions) -> list:
    """The pages of every registered kind that the saved versions change."""
    saved = defaultdict(set)
    for version in versions:
        saved[version._model].add(version.object_id)
    return pages_changed_by_rows(saved)


def pages_changed_by_rows(saved: dict, *, own=True) -> list:
    """The pages that changing the rows {model: pks} changes, each kind in order of pk
    (own: a page's own rows count as changing it)."""
    pages = []
    for kind in registry.kinds():
        pks = set()
        for model, changed in saved.items():
            pks |= kind.pages_changed_by(model, changed, own=own)
        if pks:
            pages += kind.model._default_manager.filter(pk__in=pks).order_by("pk")
    return pages


def _pages_being_deleted() -> set:
    if not hasattr(_deleting, "pages"):
        _deleting.pages = set()
    return _deleting.pages


registry.when_registered(watch)
