"""Scheduled publication: an order to publish the approved version at a chosen time."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from reviews import clock, notifications
from reviews.errors import WorkflowError
from reviews.models import ReviewEvent, ScheduledPublication
from reviews.signals import publication_scheduled
from reviews.workflow.checks import (
    check_cancel_scheduled,
    check_schedule_publish,
    refuse_unless_allowed,
)
from reviews.workflow.facts import situation
from reviews.workflow.records import close_order, locked, record_event
from reviews.workflow.steps import publish
from reviews.workflow.wording import moment


def schedule_publish(obj, user, publish_at) -> ScheduledPublication:
    """Order the approved current version to go live at publish_at, as user.

    The order names the sign-off and source digest approved now; at its time the page goes live
    through publish() only if both still hold (see publish_scheduled).
    """
    with transaction.atomic():
        obj = locked(obj)
        s = situation(obj)
        refuse_unless_allowed(check_schedule_publish, s, user)
        now = clock.now()
        if publish_at <= now:
            raise WorkflowError(
                "Choose a time in the future for the publication, or publish the page now."
            )
        item = ScheduledPublication.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            sign_off=s.approved,
            source_digest=s.digest,
            publish_at=publish_at,
            scheduled_by=user,
            scheduled_at=now,
        )
        record_event(
            obj,
            ReviewEvent.Kind.SCHEDULED,
            user,
            digest=s.digest,
            note=f"To go live on {moment(publish_at)}.",
        )
        publication_scheduled.send(ScheduledPublication, item=item)
    return item


def cancel_scheduled(obj, user, reason="") -> ScheduledPublication:
    """Cancel the page's pending scheduled publication; the page stays as it is."""
    with transaction.atomic():
        obj = locked(obj)
        s = situation(obj)
        refuse_unless_allowed(check_cancel_scheduled, s, user)
        item = s.scheduled
        close_order(item, ScheduledPublication.Status.CANCELLED, user, reason.strip())
        record_event(
            obj,
            ReviewEvent.Kind.SCHEDULE_CANCELLED,
            user,
            digest=item.source_digest,
            note=(reason.strip() or f"It was to go live on {moment(item.publish_at)}."),
        )
        notifications.schedule_closed(obj, item)
    return item


def publish_scheduled(item_id) -> ScheduledPublication | None:
    """Carry out one scheduled publication whose time has come; None if there is nothing to do.

    Publishes through publish(), as the publisher who scheduled it, only the version that was
    approved when it was scheduled. If the page changed since, the approval lapsed, or publish()
    refuses, nothing goes live: the order is marked refused with the reason, the timeline says
    so, and the publisher is told.
    """
    with transaction.atomic():
        item = (
            ScheduledPublication.objects.select_for_update()
            .filter(pk=item_id, status=ScheduledPublication.Status.SCHEDULED)
            .first()
        )
        if item is None or item.publish_at > clock.now():
            return None
        obj = item.content_object
        if obj is None:
            close_order(
                item, ScheduledPublication.Status.REFUSED, None, "The page no longer exists."
            )
            return item
        reasons = _schedule_lapsed(obj, item)
        if not reasons:
            # Closed first, so publish() does not take this order for one it overtakes.
            close_order(item, ScheduledPublication.Status.PUBLISHED, None, "")
            try:
                item.publication = publish(obj, item.scheduled_by)
            except WorkflowError as refusal:
                reasons = [str(refusal)]
            else:
                item.save(update_fields=["publication"])
        if reasons:
            reason = " ".join(reasons)
            close_order(item, ScheduledPublication.Status.REFUSED, None, reason)
            record_event(
                obj, ReviewEvent.Kind.SCHEDULE_REFUSED, None, digest=item.source_digest, note=reason
            )
        notifications.schedule_closed(obj, item)
    return item


def publish_due_scheduled() -> list[ScheduledPublication]:
    """Carry out every scheduled publication whose time has come (a worker's sweep)."""
    due = ScheduledPublication.objects.due(clock.now()).values_list("pk", flat=True)
    return [item for item in map(publish_scheduled, list(due)) if item is not None]


def _schedule_lapsed(obj, item) -> list[str]:
    s = situation(obj)
    scheduled = moment(item.scheduled_at)
    if s.digest != item.source_digest:
        return [
            f"The page changed after it was scheduled on {scheduled}: the version "
            f"{item.sign_off.signature} approved is no longer the page's text. Nothing was "
            "published; the new version needs a review."
        ]
    if s.approved is None or s.approved.pk != item.sign_off_id:
        return [
            f"The approval by {item.sign_off.signature} no longer holds (a physician asked for "
            "changes since). Nothing was published."
        ]
    return []
