"""Scheduled publications run by the task worker at their time.

Scheduling queues a task to run at the chosen time (the database task backend keeps it until
then, across worker restarts). The task carries out the order through
reviews.workflow.publish_scheduled, which re-checks everything at that moment; running it early,
twice, or after a cancellation does nothing. ``manage.py publish_scheduled`` sweeps every due
order, for a task backend that cannot defer (immediate) or a clock moved by hand.
"""

import logging

from django_tasks import task

from tovani.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)


def run_at_its_time(item) -> None:
    """Queue the order's task for its time, once the scheduling commits."""
    if not publish_when_due.get_backend().supports_defer:
        logger.warning(
            "The task backend cannot run tasks later; the publication scheduled for %s waits "
            "for `manage.py publish_scheduled`.",
            item.publish_at,
        )
        return
    enqueue_on_commit(publish_when_due.using(run_after=item.publish_at), item.pk)


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
