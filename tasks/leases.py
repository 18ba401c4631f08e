"""Tasks always finish or say why: a task whose worker died is run again after its lease.

django-tasks-db marks a task RUNNING when a worker claims it and only the same worker marks it
done, so a worker killed mid-task (SIGKILL, out of memory, a lost machine) left it RUNNING for
good: a webhook delivery pending with no next attempt, a scheduled publication that never went
live. Here every worker (tasks' ``db_worker``) writes a sign of life (WorkerBeat) every
TASK_LEASE_SECONDS / 4 from a thread of its own, and sweeps as often: a RUNNING task whose worker
has given no sign of life for TASK_LEASE_SECONDS is marked failed with the reason and queued
again, with the same arguments on the same queue. The tasks this project queues are safe to run
again: each does its work in one transaction, which the dead worker's connection rolled back,
and checks first whether it is still to do.

A task lost TASK_MAX_ATTEMPTS times is not queued again: the function registered for it with
``on_give_up`` says why where its people look (the delivery fails with the reason, the scheduled
publication is refused and its publisher told, the import fails), and the error is logged.
"""

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Max
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tasks.models import WorkerBeat

logger = logging.getLogger(__name__)

LOST = "tasks.leases.WorkerLost"


class WorkerLost(Exception):
    """The worker running a task stopped giving signs of life before the task finished."""


_give_up: dict[str, Callable[[list, dict, str], None]] = {}
_sweepers: list[Callable[[], list[str]]] = []


def on_give_up(queued_task, handler: Callable[[list, dict, str], None]) -> None:
    """handler(args, kwargs, reason) tells people a task will not be run again."""
    _give_up[queued_task.module_path] = handler


def on_sweep(sweeper: Callable[[], list[str]]) -> Callable[[], list[str]]:
    """sweeper() queues the work its app finds waiting with no task to do it (a task row lost
    with a database restored, a queue flushed) and says what it queued; run at every sweep."""
    _sweepers.append(sweeper)
    return sweeper


def waiting(queued_task) -> list[list]:
    """The arguments of every copy of the task queued or running now."""
    rows = DBTaskResult.objects.filter(
        task_path=queued_task.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).values_list("args_kwargs", flat=True)
    return [row["args"] for row in rows]


def lease() -> timedelta:
    return timedelta(seconds=settings.TASK_LEASE_SECONDS)


def beat_every() -> float:
    return max(0.2, settings.TASK_LEASE_SECONDS / 4)


def beat(worker_id: str, queues: list[str]) -> None:
    now = timezone.now()
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"beat_at": now},
        create_defaults={
            "beat_at": now,
            "started_at": now,
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "queues": ",".join(queues)[:255],
        },
    )


def stopped(worker_id: str) -> None:
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def sweep() -> list[str]:
    """Queue again (or give up) every task left running by a worker past its lease; returns
    what it did, one sentence each."""
    now = timezone.now()
    expired = now - lease()
    alive = set(WorkerBeat.objects.filter(beat_at__gt=expired).values_list("worker_id", flat=True))
    done = []
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=expired)
    for result in running:
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if worker in alive:
            continue  # a long task of a worker still alive: its lease is renewed by its beats
        said = _recover(result, worker, now)
        if said:
            done.append(said)
    WorkerBeat.objects.filter(beat_at__lt=now - 10 * lease()).delete()
    for sweeper in _sweepers:
        done += sweeper()
    return done


def _recover(result: DBTaskResult, worker: str, now) -> str | None:
    last_beat = WorkerBeat.objects.filter(worker_id=worker).aggregate(at=Max("beat_at"))["at"]
    since = last_beat or result.started_at
    reason = (
        f"The worker {worker or '(unknown)'} running it gave no sign of life after "
        f"{since:%Y-%m-%d %H:%M:%S} UTC (lease {settings.TASK_LEASE_SECONDS} s)."
    )
    with transaction.atomic():
        # One sweeper wins: the others find it no longer running.
        won = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=LOST,
            traceback=f"{LOST}: {reason}",
        )
        if not won:
            return None
        args, kwargs = result.args_kwargs["args"], result.args_kwargs["kwargs"]
        lost = DBTaskResult.objects.filter(
            task_path=result.task_path, args_kwargs=result.args_kwargs, exception_class_path=LOST
        ).count()
        try:
            task = result.task
        except (ImportError, ValueError) as error:
            logger.error("%s %s Not run again: %s", result.task_path, reason, error)
            return f"{result.task_path}: failed; it no longer exists ({error})."
        if lost < settings.TASK_MAX_ATTEMPTS:
            queued = task.using(queue_name=result.queue_name, priority=result.priority)
            transaction.on_commit(lambda: queued.enqueue(*args, **kwargs))
            logger.warning("%s %s Queued again (loss %d).", result.task_path, reason, lost)
            return f"{result.task_path}{tuple(args)}: queued again. {reason}"
        why = (
            f"{reason} It was lost {lost} times, so it is not run again; nothing of the "
            "unfinished attempt was kept."
        )
        handler = _give_up.get(result.task_path)
        if handler is not None:
            handler(args, kwargs, why)
        logger.error("%s%s given up: %s", result.task_path, tuple(args), why)
        return f"{result.task_path}{tuple(args)}: given up. {why}"


class Heartbeat(threading.Thread):
    """A worker's sign of life and lease sweep, every beat_every() seconds, beside its tasks."""

    def __init__(self, worker_id: str, queues: list[str]):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id, self.queues = worker_id, queues
        self.stopping = threading.Event()

    def run(self):
        try:
            while not self.stopping.is_set():
                self._once()
                self.stopping.wait(beat_every())
            stopped(self.worker_id)
        finally:
            connection.close()

    def _once(self):
        try:
            beat(self.worker_id, self.queues)
            for said in sweep():
                logger.info("Lease sweep: %s", said)
        except DatabaseError as error:
            # A busy or briefly unreachable database costs one beat; the lease allows four.
            logger.warning("Heartbeat of worker %s failed: %s", self.worker_id, error)
            connection.close()

    def stop(self):
        self.stopping.set()
        self.join(timeout=10)
