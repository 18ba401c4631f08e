from django.apps import AppConfig


class PurgesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "purges"
    verbose_name = "edge cache purges"

    def ready(self):
        from purges import receivers  # noqa: F401 - connects the outbox to what changes pages
