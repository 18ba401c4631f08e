"""The stored renderings move to the publishing layer; their table and rows stay as they are."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("conditions", "0008_lookup_codes"),
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PageRendering",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("template", models.CharField(max_length=100)),
                        (
                            "version",
                            models.CharField(
                                help_text="The kind's version when rendered.", max_length=40
                            ),
                        ),
                        ("html", models.TextField()),
                        (
                            "rendered_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now,
                                help_text="When made: the publication's own moment when made as it went live.",
                            ),
                        ),
                        (
                            "publication",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="renderings",
                                to="reviews.publication",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "conditions_pagerendering",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("publication", "template", "version"),
                                name="one_rendering_per_version",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
