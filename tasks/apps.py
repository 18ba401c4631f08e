from django.apps import AppConfig


class TasksConfig(AppConfig):
    """Leases on background tasks: a task whose worker died is run again, or given up with a
    reason (tasks.leases). Listed before django_tasks_db, so its db_worker is the one run."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tasks"
    verbose_name = "task workers"
