from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Evidence watch"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from evidence import receivers

        receivers.connect()
