from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conditions"

    def ready(self):
        from conditions.citation_source import ConditionCitations
        from references.usage import register_citation_source

        register_citation_source(ConditionCitations())
        # Connects the save path that keeps the pages' review state current.
        from conditions import changes  # noqa: F401
