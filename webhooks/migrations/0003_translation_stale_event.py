from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0002_event_sequence_and_subject"),
    ]

    operations = [
        migrations.AlterField(
            model_name="delivery",
            name="event_type",
            field=models.CharField(
                choices=[
                    ("page.published", "A page was published (new or republished)"),
                    ("page.withdrawn", "A page was unpublished, or moved away from its address"),
                    ("page.moved", "A page was published at a new address"),
                    ("page.review_overdue", "A live page's review is overdue"),
                    ("reference.retracted", "A cited reference was retracted"),
                    (
                        "translation.stale",
                        "A translation lags a clinically significant change of its English page",
                    ),
                ],
                max_length=40,
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="event_type",
            field=models.CharField(
                choices=[
                    ("page.published", "A page was published (new or republished)"),
                    ("page.withdrawn", "A page was unpublished, or moved away from its address"),
                    ("page.moved", "A page was published at a new address"),
                    ("page.review_overdue", "A live page's review is overdue"),
                    ("reference.retracted", "A cited reference was retracted"),
                    (
                        "translation.stale",
                        "A translation lags a clinically significant change of its English page",
                    ),
                ],
                max_length=40,
            ),
        ),
    ]
