"""django-tasks-db's db_worker, with a lease: the worker gives a sign of life while it runs and
sweeps for tasks left running by workers that died (tasks.leases)."""

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from tasks.leases import Heartbeat


class LeasedWorker(db_worker.Worker):
    """The library's worker, beside a heartbeat thread that renews its lease and sweeps."""

    def run(self) -> None:
        heartbeat = Heartbeat(self.worker_id, self.queue_names)
        heartbeat.start()
        try:
            super().run()
        finally:
            heartbeat.stop()


class Command(db_worker.Command):
    help = (
        "Run a database background worker. It renews its lease every TASK_LEASE_SECONDS / 4 "
        "and runs again the tasks of workers that died (no sign of life for TASK_LEASE_SECONDS)."
    )

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = LeasedWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
            return
        worker.configure_signals()
        worker.run()
