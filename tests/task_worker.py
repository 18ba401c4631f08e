"""Running queued tasks inside a test, as `manage.py db_worker --batch` would."""

from django_tasks_db.management.commands.db_worker import Worker

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "imports"]}
}


def run_due_tasks() -> None:
    """Run every task whose time has come, on every queue, in this process, then return."""
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()
