"""English pages link to their translations live before the link existed."""

from django.db import migrations


def link_live_translations(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LivePublication = apps.get_model("reviews", "LivePublication")
    LiveAlternate = apps.get_model("publishing", "LiveAlternate")
    Translation = apps.get_model("translations", "Translation")
    kind = ContentType.objects.filter(app_label="translations", model="translation").first()
    if kind is None:
        return
    for live in LivePublication.objects.filter(content_type=kind).select_related("publication"):
        translation = Translation.objects.filter(pk=live.object_id).first()
        if translation is None:
            continue
        LiveAlternate.objects.update_or_create(
            content_type_id=translation.english_type_id,
            object_id=translation.english_id,
            language=translation.language,
            defaults={
                "path": f"/{translation.language}{translation.english_path}",
                "title": live.publication.document.get("title", ""),
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("translations", "0002_translator_role"),
        ("publishing", "0003_live_alternate"),
        ("reviews", "0015_review_states_of_existing_pages"),
    ]

    operations = [migrations.RunPython(link_live_translations, migrations.RunPython.noop)]
