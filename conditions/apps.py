from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conditions"

    def ready(self):
        from conditions.citation_source import ConditionCitations
        from references.usage import register_citation_source

        register_citation_source(ConditionCitations())
        # changes connects the save path that keeps the pages' review state current; pages
        # registers the page's renderings (the API registers its own); read_side the proof and
        # repair of its read model that verify_library and rebuild_library run.
        from conditions import changes, pages, read_side  # noqa: F401
