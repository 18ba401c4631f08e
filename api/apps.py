from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "partner API"

    def ready(self):
        from api import representations, schema  # noqa: F401 - registers the OpenAPI extensions
        from conditions import renderings

        # The API's JSON of each page is rendered when the page is published, as its HTML is.
        renderings.register(representations.DETAIL)
        renderings.register(representations.SUMMARY)
