from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conditions"

    def ready(self):
        from conditions.citation_source import ConditionCitations
        from references.usage import register_citation_source

        register_citation_source(ConditionCitations())
        # changes connects the save path that keeps the pages' review state current; pages
        # registers the page's renderings (the API registers its own); shared_parts puts a
        # change to a treatment on the timeline of each page showing it.
        from conditions import changes, pages, shared_parts  # noqa: F401
