"""Background work through the Tasks API (django-tasks, the backport of django.tasks).

Work that must not hold up a request, such as talking to a mail server, is queued here after the
transaction that caused it commits, and a worker (`manage.py db_worker`, which `make run` starts)
runs it. The database backend keeps queued tasks in a table, so a worker that stops or restarts
finds them there. A task that fails is tried again after a delay that grows four times with each
failure, up to TASK_MAX_ATTEMPTS attempts; every failure is logged.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def enqueue_on_commit(queued_task, *args, **kwargs) -> None:
    """Queue the task once the current transaction commits, so a rolled-back step queues nothing."""
    transaction.on_commit(lambda: _enqueue(queued_task, args, kwargs))


def _enqueue(queued_task, args, kwargs) -> None:
    try:
        queued_task.enqueue(*args, **kwargs)
    except Exception:
        # The step that asked for this work has committed; failing to queue must not undo it.
        logger.exception("Could not queue %s", queued_task.name)


def retry_delay(attempt: int) -> timedelta:
    """How long to wait after the given failed attempt before the next one."""
    return timedelta(seconds=settings.TASK_RETRY_SECONDS * 4 ** (attempt - 1))


def retry_later(queued_task, attempt: int, args: tuple, problem: str) -> bool:
    """After a failed attempt, queue the next one after a delay, or log that it gives up.
    Returns whether another attempt was queued."""
    limit = settings.TASK_MAX_ATTEMPTS
    if attempt >= limit:
        logger.error("%s, attempt %d of %d; giving up.", problem, attempt, limit)
        return False
    if not queued_task.get_backend().supports_defer:
        logger.error("%s; not retried: this task backend runs tasks inline.", problem)
        return False
    delay = retry_delay(attempt)
    queued_task.using(run_after=timezone.now() + delay).enqueue(*args, attempt=attempt + 1)
    logger.warning(
        "%s, attempt %d of %d; trying again in %d s.",
        problem,
        attempt,
        limit,
        delay.total_seconds(),
    )
    return True


@task()
def send_email(subject: str, body: str, recipients: list[str], attempt: int = 1) -> None:
    """Send one plain-text e-mail; a mail server that fails or hangs costs a retry, not a loss."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except Exception as error:
        problem = f"Could not send “{subject}” to {', '.join(recipients)}: {error}"
        retry_later(send_email, attempt, (subject, body, recipients), problem)
        raise
