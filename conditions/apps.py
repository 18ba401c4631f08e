from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conditions"

    def ready(self):
        from conditions import kind
        from conditions.citation_source import ConditionCitations
        from references.usage import register_citation_source

        register_citation_source(ConditionCitations())
        # Condition pages join the publishing layer: its save path, pipeline and services.
        kind.register()
        # read_side: the proof and repair of the read model that verify_library and
        # rebuild_library run.
        # shared_parts puts a change to a treatment on the timeline of each page showing it.
        from conditions import (
            read_side,  # noqa: F401
            shared_parts,  # noqa: F401
        )
