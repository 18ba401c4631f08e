"""The stored renderings now belong to the publishing layer (publishing 0001 takes the table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0008_lookup_codes"),
        ("publishing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PageRendering")],
            database_operations=[],
        ),
    ]
