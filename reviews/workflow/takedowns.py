"""Scheduled take-downs: an order to take a live page off the public site at a chosen time.

At its time the order is carried out through unpublish(), as the publisher who scheduled it and
with the reason they gave, so the same checks hold and the timeline reads as if they had pressed
Unpublish then. A page taken down by other means before its time closes the order.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from reviews import clock, notifications
from reviews.errors import WorkflowError
from reviews.models import ReviewEvent, ScheduledTakedown
from reviews.signals import takedown_scheduled
from reviews.workflow.checks import (
    check_cancel_takedown,
    check_schedule_takedown,
    refuse_unless_allowed,
)
from reviews.workflow.facts import situation
from reviews.workflow.records import close_order, locked, record_event
from reviews.workflow.steps import unpublish
from reviews.workflow.wording import moment


def schedule_takedown(obj, user, take_down_at, reason) -> ScheduledTakedown:
    """Order the live page off the public site at take_down_at, as user, for reason."""
    with transaction.atomic():
        obj = locked(obj)
        s = situation(obj)
        refuse_unless_allowed(check_schedule_takedown, s, user)
        reason = (reason or "").strip()
        if not reason:
            raise WorkflowError(
                "Give a reason for taking the page down: it goes on the page's timeline."
            )
        now = clock.now()
        if take_down_at <= now:
            raise WorkflowError(
                "Choose a time in the future for the take-down, or unpublish the page now."
            )
        item = ScheduledTakedown.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            take_down_at=take_down_at,
            take_down_reason=reason,
            scheduled_by=user,
            scheduled_at=now,
        )
        record_event(
            obj,
            ReviewEvent.Kind.TAKEDOWN_SCHEDULED,
            user,
            digest=s.live.source_digest,
            note=f"To come off the site on {moment(take_down_at)}: {reason}",
        )
        takedown_scheduled.send(ScheduledTakedown, item=item)
    return item


def cancel_takedown(obj, user, reason="") -> ScheduledTakedown:
    """Cancel the page's pending take-down; the page stays live."""
    with transaction.atomic():
        obj = locked(obj)
        s = situation(obj)
        refuse_unless_allowed(check_cancel_takedown, s, user)
        item = s.takedown
        close_order(item, ScheduledTakedown.Status.CANCELLED, user, reason.strip())
        record_event(
            obj,
            ReviewEvent.Kind.TAKEDOWN_CANCELLED,
            user,
            note=(reason.strip() or f"It was to come off the site on {moment(item.take_down_at)}."),
        )
        notifications.takedown_closed(obj, item)
    return item


def take_down_scheduled(item_id) -> ScheduledTakedown | None:
    """Carry out one take-down whose time has come; None if there is nothing to do.

    Unpublishes through unpublish() as the publisher who scheduled it, with their reason. If
    unpublish() refuses (they may publish no longer, the page is no longer live), the order is
    refused with the reason, the timeline says so, and the publisher is told.
    """
    with transaction.atomic():
        item = (
            ScheduledTakedown.objects.select_for_update()
            .filter(pk=item_id, status=ScheduledTakedown.Status.SCHEDULED)
            .first()
        )
        if item is None or item.take_down_at > clock.now():
            return None
        obj = item.content_object
        if obj is None:
            close_order(item, ScheduledTakedown.Status.REFUSED, None, "The page no longer exists.")
            return item
        # Closed first, so unpublish() does not take this order for one it overtakes.
        close_order(item, ScheduledTakedown.Status.DONE, None, "")
        try:
            with transaction.atomic():
                unpublish(obj, item.scheduled_by, item.take_down_reason)
        except WorkflowError as refusal:
            reason = f"{refusal} The page was not taken down."
            close_order(item, ScheduledTakedown.Status.REFUSED, None, reason)
            record_event(obj, ReviewEvent.Kind.TAKEDOWN_REFUSED, None, note=reason)
        notifications.takedown_closed(obj, item)
    return item


def take_down_due() -> list[ScheduledTakedown]:
    """Carry out every take-down whose time has come (a worker's sweep)."""
    due = ScheduledTakedown.objects.due(clock.now()).values_list("pk", flat=True)
    return [item for item in map(take_down_scheduled, list(due)) if item is not None]
