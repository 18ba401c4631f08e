"""Once: every page with a workflow record and no stored review state got one here.

The state is derived with today's models, and from inside a migration a later migration's
columns do not exist yet, so it is now written after the migrate command has applied every
migration (reviews.upgrade, on post_migrate). This migration is kept, doing nothing, so the
graph of databases that ran it is unchanged.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0014_physician_review_languages"),
        ("conditions", "0010_shared_part_changes"),
        ("references", "0006_reference_import_discarded_by"),
        ("publishing", "0001_initial"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = []
