from django.apps import AppConfig


class EditorialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
    verbose_name = "Editorial policy and disclosures"

    def ready(self):
        from editorial import kind

        kind.register()
