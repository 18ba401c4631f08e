from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "partner API"

    def ready(self):
        from api import fhir_views, representations, schema, signed_detail  # noqa: F401
        from api.errors import problem
        from conditions.models import Condition
        from publishing import registry
        from reviews import verification
        from tovani import unavailable

        # The project's 400, 500 and 503 answers take the API's problem shape under /api/ and
        # /cds-services.
        unavailable.answer_problems_under("/api/", problem)
        unavailable.answer_problems_under("/cds-services", problem)
        # FHIR's are OperationOutcomes, as every other error of its endpoints.
        unavailable.answer_problems_under("/fhir/", fhir_views.problem_outcome)

        # The API's JSON of each page is rendered when the page is published, as its HTML is.
        registry.add_renderings(
            Condition,
            [representations.DETAIL, representations.SUMMARY, representations.MANIFEST_ENTRY],
        )
        # The API serves condition pages only, so partners hear of those alone.
        registry.offer_to_partners(Condition)
        # verify_library checks each live page's signed detail as well as its publication.
        verification.register_check(lambda: signed_detail.detail_problems(representations.DETAIL))
