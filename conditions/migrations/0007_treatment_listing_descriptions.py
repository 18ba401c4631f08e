import django.utils.timezone
from django.db import migrations, models


def fill_descriptions(apps, schema_editor):
    """Give the listings of live pages their descriptions, from each live document."""
    TreatmentListing = apps.get_model("conditions", "TreatmentListing")
    for listing in TreatmentListing.objects.select_related("entry__publication"):
        document = listing.entry.publication.document
        entries = [t for group in document["treatment_groups"] for t in group["treatments"]]
        if listing.position <= len(entries):
            entry = entries[listing.position - 1]
            listing.description_html, listing.description_text = entry["html"], entry["text"]
            listing.save(update_fields=["description_html", "description_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0006_search_whole_page"),
        ("reviews", "0003_event_actor_optional"),
    ]

    operations = [
        migrations.AddField(
            model_name="treatmentlisting",
            name="description_html",
            field=models.TextField(
                blank=True,
                help_text="What the treatment means for this condition, sanitized HTML.",
            ),
        ),
        migrations.AddField(
            model_name="treatmentlisting",
            name="description_text",
            field=models.TextField(blank=True, help_text="The same, plain text."),
        ),
        migrations.AlterField(
            model_name="pagerendering",
            name="version",
            field=models.CharField(help_text="The kind's version when rendered.", max_length=40),
        ),
        migrations.AlterField(
            model_name="pagerendering",
            name="rendered_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now,
                help_text="When made: the publication's own moment when made as it went live.",
            ),
        ),
        migrations.RunPython(fill_descriptions, migrations.RunPython.noop),
    ]
