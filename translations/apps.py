from django.apps import AppConfig


class TranslationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "translations"
    verbose_name = "translations"

    def ready(self):
        from conditions import demo_content
        from translations import demo, kind, remade

        kind.register()
        remade.connect()
        # read_side: the proof of the Spanish search rows that verify_library runs.
        from translations import read_side  # noqa: F401

        # load_demo loads the Spanish version of the demo page after the English one.
        demo_content.add_to_demo(demo.demo_step)
