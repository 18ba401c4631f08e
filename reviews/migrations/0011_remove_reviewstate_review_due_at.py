"""The stored review state no longer keeps a due date nobody read: review_due() and overdue()
compute it from the live sign-off, so a new review interval applies at once."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reviews", "0010_source_digests_of_existing_records")]

    operations = [migrations.RemoveField(model_name="reviewstate", name="review_due_at")]
