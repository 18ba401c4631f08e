from django.apps import AppConfig


class LeafletsConfig(AppConfig):
    """A throwaway kind of page, installed by the test settings only: it joins every service
    of the publishing layer by registering, touching no file outside this app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tests.leaflets"
    label = "leaflets"

    def ready(self):
        from tests.leaflets import kind

        kind.register()
