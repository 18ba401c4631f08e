"""The stored review state: written by the steps and by record_change(), which the save path
calls after content is saved; and the guards every deletion of a page goes through."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from reviews.errors import WorkflowError
from reviews.models import LivePublication, ReviewState
from reviews.workflow.facts import situation


def record_change(obj, user=None) -> ReviewState:
    """Content of obj was saved (by user, when known): keep its stored review state current.

    Called by the save path of the content types after every recorded save, including saves of
    the references and treatments a page shows. A save that leaves the source unchanged changes
    nothing here, so it never makes anyone the author of a change.
    """
    return write_state(obj, user, changed=True)


def write_state(obj, user, *, changed=False, digest=None) -> ReviewState:
    """Write obj's row from the facts, holding the row's lock: two saves racing each add their
    author to what the other wrote, and neither is lost."""
    with transaction.atomic():
        _lock_row(obj)
        return _write(obj, user, changed, situation(obj, digest))


def _write(obj, user, changed, s) -> ReviewState:
    row = s.row
    if changed and row.source_digest != s.digest and user and user.pk not in row.changed_by:
        row.changed_by = [*row.changed_by, user.pk]
    if s.latest_sign_off is not None and s.latest_sign_off.source_digest == s.digest:
        row.changed_by = []  # the version is what was signed: no one's change is in it
    row.state = s.state
    row.source_digest = s.digest
    row.submission = s.submission
    row.changes_request = s.changes_request
    row.sign_off = s.latest_sign_off
    row.publication = s.live
    row.save()
    return row


def _lock_row(obj) -> None:
    content_type = ContentType.objects.get_for_model(obj)
    ReviewState.objects.get_or_create(content_type=content_type, object_id=obj.pk)
    locked = ReviewState.objects.select_for_update().filter(
        content_type=content_type, object_id=obj.pk
    )
    list(locked.values_list("pk", flat=True))


def refuse_deleting_live(model, pks) -> None:
    """The model's guard: a live page is never deleted, whoever asks and however."""
    live = LivePublication.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=list(pks)
    ).values_list("slug", flat=True)
    if live:
        raise WorkflowError(
            "A live page cannot be deleted: unpublish it first ("
            + ", ".join(f"/{slug}/" for slug in live)
            + ")."
        )


def forget_deleted(model, pks) -> None:
    """Drop the review state of deleted objects; their records stay on the timeline."""
    ReviewState.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=list(pks)
    ).delete()
