from django.apps import AppConfig


class PublishingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "publishing"
    verbose_name = "publishing"

    def ready(self):
        # checks registers the protocol's system check; save_path connects the one receiver
        # that records every save of a registered kind of page or of what it follows.
        from publishing import checks, save_path  # noqa: F401
