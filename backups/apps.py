from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Export and import of the whole library; it spans every app, so it is an app of its own."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "backups"
