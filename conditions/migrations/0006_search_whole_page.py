"""Search reads the whole page: the live pages' entries get their treatments and body text."""

from django.db import migrations, models


def index_the_whole_page(apps, schema_editor):
    from conditions.library import SEARCH_VECTOR, body_text, treatment_names

    SearchEntry = apps.get_model("conditions", "SearchEntry")
    entries = SearchEntry.objects.select_related("publication")
    for entry in entries:
        entry.body = body_text(entry.publication.document)
        entry.treatment_names = treatment_names(entry.publication.document)
        entry.save(update_fields=["body", "treatment_names"])
    if entries.exists() and schema_editor.connection.vendor == "postgresql":
        SearchEntry.objects.update(vector=SEARCH_VECTOR)


class Migration(migrations.Migration):
    dependencies = [
        ("conditions", "0005_evidence_reviewed_through"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="body",
            field=models.TextField(
                blank=True,
                help_text="The rest of the page's text: sections, comparisons, what each treatment means for the condition, FAQ answers. Searched at the lowest weight.",
            ),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="treatment_names",
            field=models.TextField(
                blank=True, help_text="The page's treatments: each name and summary, one a line."
            ),
        ),
        migrations.RunPython(index_the_whole_page, migrations.RunPython.noop),
    ]
