"""Sending a purge to every configured edge cache, with retries, and recording each confirmation.

A cache that confirmed is not asked again; the purge is done when every cache has confirmed,
and its page's timeline then says how long that took. A cache that fails is asked again after
PURGE_RETRY_SECONDS[attempt] (1 s, 5 s, 30 s, 2 min, 10 min by default); after the last the
purge is abandoned, logged as an error and shown on the timeline.

The caches are asked side by side, not one after another. The second, settling send
(PURGE_SETTLE_SECONDS after the first) is a task of its own, queued to run then: the worker
never sleeps with a purge in hand, so the purges behind it (a withdrawal right after a
publish) go out at once instead of waiting in line.
"""

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from purges import backends
from purges.backends.base import PurgeFailed
from purges.models import Purge
from tovani import replicas

logger = logging.getLogger(__name__)


@task()
def send_purge(purge_id: int, settling: bool = False) -> bool:
    """Send one purge to the caches that have not confirmed it; True when all have.

    settling: the second send, to every cache, once PURGE_SETTLE_SECONDS have passed."""
    return _send_purge(purge_id, settling, defer_settle=send_purge.get_backend().supports_defer)


def _send_purge(purge_id: int, settling: bool, defer_settle: bool) -> bool:
    with transaction.atomic():
        purge = Purge.objects.select_for_update().filter(pk=purge_id).first()
        if purge is None or purge.confirmed_at or purge.abandoned_at:
            return purge is not None and purge.confirmed_at is not None
        # Replicas behind the change are not read from now on, before any cache drops a copy.
        replicas.fence()
        configured = backends.configured()
        waiting = [b for b in configured if b.name not in purge.confirmed_by]
        if settling or not waiting:
            # Every cache has had the first send (a settling task may also be queued): this
            # is the second.
            settling = True
            waiting = [b for b in configured if b.name in purge.confirmed_by]
            _until_settled(purge)
        failures = _send_to(waiting, purge)
        if not failures and not settling and waiting and settings.PURGE_SETTLE_SECONDS > 0:
            if defer_settle:
                _settle_later(purge)
                purge.save()
                return False
            # No worker to come back (tasks run inline, or send_purges): settle here.
            time.sleep(settings.PURGE_SETTLE_SECONDS)
            failures = _send_to(waiting, purge)
        purge.attempts += 1
        if not failures:
            purge.confirmed_at = timezone.now()
        else:
            purge.last_error = "\n".join(failures)
            _retry_or_abandon(purge)
        purge.save()
        return purge.confirmed_at is not None


def _until_settled(purge) -> None:
    """Wait out what is left of PURGE_SETTLE_SECONDS since the first send, when the second
    comes early (send_purges, or a task that found the first already sent)."""
    sent = [datetime.fromisoformat(at) for at in purge.confirmed_by.values()]
    if sent:
        left = settings.PURGE_SETTLE_SECONDS - (timezone.now() - max(sent)).total_seconds()
        if left > 0:
            time.sleep(min(left, settings.PURGE_SETTLE_SECONDS))


def _settle_later(purge) -> None:
    # A cache fetch that read the database before the change committed can store the old
    # answer just after the first send; the second, a moment later, removes it.
    run_after = timezone.now() + timedelta(seconds=settings.PURGE_SETTLE_SECONDS)
    transaction.on_commit(
        lambda: send_purge.using(run_after=run_after).enqueue(purge.pk, settling=True)
    )


def _send_to(waiting, purge) -> list[str]:
    """Ask every cache in waiting at the same time; the failures, one line each."""
    if len(waiting) > 1:
        with ThreadPoolExecutor(max_workers=len(waiting)) as pool:
            outcomes = list(pool.map(lambda b: _ask(b, purge), waiting))
    else:
        outcomes = [_ask(backend, purge) for backend in waiting]
    failures = []
    for backend, error in zip(waiting, outcomes, strict=True):
        if error is None:
            purge.confirmed_by[backend.name] = timezone.now().isoformat()
        else:
            failures.append(error)
            purge.confirmed_by.pop(backend.name, None)
    return failures


def _ask(backend, purge) -> str | None:
    try:
        backend.send(purge.key_list, purge.path_list)
    except PurgeFailed as error:
        return str(error)
    return None


def _retry_or_abandon(purge) -> None:
    schedule = settings.PURGE_RETRY_SECONDS
    if purge.attempts > len(schedule) or not send_purge.get_backend().supports_defer:
        purge.abandoned_at = timezone.now()
        logger.error(
            "Gave up purging %s after %d attempts: %s", purge.keys, purge.attempts, purge.last_error
        )
        return
    delay = schedule[purge.attempts - 1]
    logger.warning(
        "Purge of %s failed (attempt %d); trying again in %s s: %s",
        purge.keys,
        purge.attempts,
        delay,
        purge.last_error,
    )
    run_after = timezone.now() + timedelta(seconds=delay)
    transaction.on_commit(lambda: send_purge.using(run_after=run_after).enqueue(purge.pk))


def send_unconfirmed() -> int:
    """Send every purge still waiting (after a worker was down); returns how many were sent."""
    waiting = list(Purge.objects.unconfirmed().order_by("created_at").values_list("pk", flat=True))
    for purge_id in waiting:
        _send_purge(purge_id, settling=False, defer_settle=False)
    return len(waiting)
