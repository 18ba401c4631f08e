from django.apps import AppConfig


class TranslationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "translations"
    verbose_name = "translations"

    def ready(self):
        from translations import kind

        kind.register()
