from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reviews"

    def ready(self):
        from django.db.models.signals import post_migrate

        from reviews import scheduled_publishing, upgrade
        from reviews.signals import publication_scheduled, takedown_scheduled

        # A scheduled page's task is queued for its time as the order is made.
        publication_scheduled.connect(
            lambda sender, item, **kwargs: scheduled_publishing.run_at_its_time(item),
            dispatch_uid="reviews.scheduled_publishing",
            weak=False,
        )
        takedown_scheduled.connect(
            lambda sender, item, **kwargs: scheduled_publishing.take_down_at_its_time(item),
            dispatch_uid="reviews.scheduled_takedowns",
            weak=False,
        )
        # Pages of a database older than stored states get theirs once the schema is today's.
        post_migrate.connect(
            upgrade.write_missing_states, sender=self, dispatch_uid="reviews.missing_states"
        )
