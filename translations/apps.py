from django.apps import AppConfig


class TranslationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "translations"
    verbose_name = "translations"

    def ready(self):
        from conditions import demo_content
        from translations import demo, kind

        kind.register()
        # load_demo loads the Spanish version of the demo page after the English one.
        demo_content.add_to_demo(demo.demo_step)
