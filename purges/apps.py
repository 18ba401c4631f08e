from django.apps import AppConfig


class PurgesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "purges"
    verbose_name = "edge cache purges"

    def ready(self):
        from purges import receivers  # noqa: F401 - connects the outbox to what changes pages
        from purges.timeline import timeline_entries
        from reviews import timeline

        # Each withdrawal's page says when every cache confirmed the purge.
        timeline.add_entries(timeline_entries)
