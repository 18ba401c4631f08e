from django.db import migrations, models
from django.utils.text import slugify

import reviews.validators


def give_each_physician_a_slug(apps, schema_editor):
    Physician = apps.get_model("reviews", "Physician")
    taken = set()
    for physician in Physician.objects.order_by("pk"):
        base = slugify(physician.display_name) or f"physician-{physician.pk}"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        physician.slug = slug
        physician.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("reviews", "0004_review_state_and_source_digests")]

    operations = [
        migrations.AddField(
            model_name="physician",
            name="slug",
            # No index yet: the unique constraint below brings its own.
            field=models.SlugField(max_length=120, null=True, db_index=False),
        ),
        migrations.RunPython(give_each_physician_a_slug, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="physician",
            name="slug",
            field=models.SlugField(
                help_text="The profile's address: /reviewers/this-slug/.",
                max_length=120,
                unique=True,
            ),
        ),
        migrations.AddField(
            model_name="physician",
            name="specialty",
            field=models.CharField(blank=True, help_text="For example Psychiatry.", max_length=120),
        ),
        migrations.AddField(
            model_name="physician",
            name="license_state",
            field=models.CharField(
                blank=True,
                help_text="The state that issued the license.",
                max_length=40,
                verbose_name="license state",
            ),
        ),
        migrations.AddField(
            model_name="physician",
            name="license_number",
            field=models.CharField(blank=True, max_length=40, verbose_name="license number"),
        ),
        migrations.AddField(
            model_name="physician",
            name="npi",
            field=models.CharField(
                blank=True,
                help_text="National Provider Identifier: 10 digits, checked against its check "
                "digit.",
                max_length=10,
                validators=[reviews.validators.validate_npi],
                verbose_name="NPI",
            ),
        ),
        migrations.AddField(
            model_name="physician",
            name="biography",
            field=models.TextField(blank=True, help_text="A short biography, in plain text."),
        ),
        migrations.AddField(
            model_name="physician",
            name="disclosures",
            field=models.TextField(
                blank=True,
                help_text="Financial or other interests a reader should know of, in plain text. "
                "Leave blank when there are none to declare yet.",
                verbose_name="disclosures of conflicts of interest",
            ),
        ),
    ]
