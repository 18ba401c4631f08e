from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "partner API"

    def ready(self):
        from api import representations, schema, signed_detail  # noqa: F401 - registers the OpenAPI extensions
        from conditions import renderings
        from reviews import verification

        # The API's JSON of each page is rendered when the page is published, as its HTML is.
        renderings.register(representations.DETAIL)
        renderings.register(representations.SUMMARY)
        # verify_library checks each live page's signed detail as well as its publication.
        verification.register_check(signed_detail.detail_problems)
