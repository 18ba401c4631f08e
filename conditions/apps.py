from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conditions"

    def ready(self):
        from conditions.citation_source import ConditionCitations
        from references.usage import register_citation_source

        register_citation_source(ConditionCitations())
        # Registers the page's rendering, and connects the receivers that keep the read model
        # in step with publishing.
        from conditions import library, pages  # noqa: F401
