from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Partner webhooks"

    def ready(self):
        from webhooks import events

        events.connect()
