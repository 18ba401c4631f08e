from django.apps import AppConfig


class PublishingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "publishing"
    verbose_name = "publishing"

    def ready(self):
        # checks registers the protocol's system check; save_path connects the one receiver
        # that records every save of a registered kind of page or of what it follows.
        # read_side proves every kind's stored renderings for verify_library.
        from publishing import checks, read_side, save_path  # noqa: F401
