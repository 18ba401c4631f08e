"""Scheduled publications run by the task worker at their time.

Scheduling queues a task to run at the chosen time (the database task backend keeps it until
then, across worker restarts). The task carries out the order through
reviews.workflow.publish_scheduled, which re-checks everything at that moment; running it early,
twice, or after a cancellation does nothing. ``manage.py publish_scheduled`` sweeps every due
order, for a task backend that cannot defer (immediate) or a clock moved by hand.

Scheduled take-downs (reviews.workflow.takedowns) run the same way: queued for their time, swept
when overdue with no task, refused with the reason when the worker keeps dying on them.
"""

import logging

from django.db import transaction
from django_tasks import task

from tasks import leases
from tovani.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)


def run_at_its_time(item) -> None:
    """Queue the order's task for its time, once the scheduling commits."""
    # Connected to reviews.signals.publication_scheduled by reviews.apps.
    _queue_for(publish_when_due, item.pk, item.publish_at, "publication")


def _queue_for(queued_task, item_id: int, when, what: str) -> None:
    if not queued_task.get_backend().supports_defer:
        logger.warning(
            "The task backend cannot run tasks later; the %s scheduled for %s waits for "
            "`manage.py publish_scheduled`.",
            what,
            when,
        )
        return
    enqueue_on_commit(queued_task.using(run_after=when), item_id)


@task()
def publish_when_due(item_id: int) -> str:
    """Carry out one scheduled publication; returns what became of it."""
    from reviews.workflow.scheduling import publish_scheduled

    item = publish_scheduled(item_id)
    if item is None:
        return "nothing to do"
    if item.reason:
        logger.warning("Scheduled publication %s refused: %s", item.pk, item.reason)
    return item.status


def refuse_lost(args, kwargs, reason) -> None:
    """The worker died carrying out the order too often: the order is refused, on the timeline,
    and its publisher is told why, rather than left scheduled for good."""
    from reviews import notifications
    from reviews.models import ReviewEvent, ScheduledPublication

    _refuse_order(
        ScheduledPublication,
        args[0],
        f"The publication could not be carried out: {reason} Nothing was published.",
        ReviewEvent.Kind.SCHEDULE_REFUSED,
        notifications.schedule_closed,
        digest_of=lambda item: item.source_digest,
    )


def _refuse_order(model, pk, reason: str, kind, tell, digest_of=lambda item: "") -> None:
    """Close a scheduled order the worker could not carry out: refused with reason, on the
    page's timeline (with digest_of(order): a take-down names no source), and tell(page, order)
    its publisher."""
    from reviews import audit_chain, clock

    with transaction.atomic():
        item = (
            model.objects.select_for_update().filter(pk=pk, status=model.Status.SCHEDULED).first()
        )
        if item is None:
            return
        item.status = model.Status.REFUSED
        item.reason = reason
        item.closed_at = clock.now()
        item.save(update_fields=["status", "reason", "closed_at"])
        obj = item.content_object
        if obj is None:
            return
        audit_chain.append(
            content_type=item.content_type,
            object_id=item.object_id,
            kind=kind,
            actor=None,
            digest=digest_of(item),
            note=item.reason,
            at=clock.now(),
        )
        tell(obj, item)


leases.on_give_up(publish_when_due, refuse_lost)


@leases.on_sweep
def run_overdue() -> list[str]:
    """An order a lease past its time with no task to carry it out is carried out at once."""
    from reviews.models import ScheduledPublication

    return _queue_overdue(publish_when_due, ScheduledPublication, "scheduled publication")


def _queue_overdue(carry_out, model, what: str) -> list[str]:
    """Queue carry_out for every order of model a lease past its time with no task waiting."""
    from reviews import clock

    if not carry_out.get_backend().supports_defer:
        return []  # `publish_scheduled` carries them out
    overdue = model.objects.due(clock.now() - leases.lease())
    queued = leases.waiting(carry_out)
    said = []
    for pk in overdue.values_list("pk", flat=True):
        if [pk] not in queued:
            carry_out.enqueue(pk)
            said.append(f"{what} {pk}: overdue with no task, queued to run now.")
    return said


# Scheduled take-downs, queued and swept the same way.


def take_down_at_its_time(item) -> None:
    """Queue the take-down's task for its time, once the scheduling commits."""
    # Connected to reviews.signals.takedown_scheduled by reviews.apps.
    _queue_for(take_down_when_due, item.pk, item.take_down_at, "take-down")


@task()
def take_down_when_due(item_id: int) -> str:
    """Carry out one scheduled take-down; returns what became of it."""
    from reviews.workflow.takedowns import take_down_scheduled

    item = take_down_scheduled(item_id)
    if item is None:
        return "nothing to do"
    if item.reason:
        logger.warning("Scheduled take-down %s refused: %s", item.pk, item.reason)
    return item.status


def refuse_lost_takedown(args, kwargs, reason) -> None:
    """The worker died carrying out the take-down too often: the order is refused, on the
    timeline, and its publisher told; the page stays live."""
    from reviews import notifications
    from reviews.models import ReviewEvent, ScheduledTakedown

    _refuse_order(
        ScheduledTakedown,
        args[0],
        f"The take-down could not be carried out: {reason} The page is still live.",
        ReviewEvent.Kind.TAKEDOWN_REFUSED,
        notifications.takedown_closed,
    )


leases.on_give_up(take_down_when_due, refuse_lost_takedown)


@leases.on_sweep
def take_down_overdue() -> list[str]:
    """A take-down a lease past its time with no task to carry it out is carried out at once."""
    from reviews.models import ScheduledTakedown

    return _queue_overdue(take_down_when_due, ScheduledTakedown, "scheduled take-down")
