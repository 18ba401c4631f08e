"""Every page with a workflow record and no stored review state gets one.

Written by 0010 in the release that introduced it; moved here, after every table the state is
derived from, because the state is read with today's models (a database older than 0010 would
otherwise be asked for columns later migrations add). A page whose source differs from its
newest sign-off's counts as changed by its last editor. Pages that already have a state (every
page of a database that ran 0010 before) are left as they are.
"""

from django.db import migrations


def write_missing_states(apps, schema_editor):
    from django.contrib.contenttypes.models import ContentType

    from reviews import workflow
    from reviews.digest import source_digest

    records = [apps.get_model("reviews", name) for name in ("SignOff", "Publication")]
    events = apps.get_model("reviews", "ReviewEvent")
    states = apps.get_model("reviews", "ReviewState")
    pages = set()
    for model in [*records, events]:
        pages |= set(model.objects.values_list("content_type_id", "object_id").distinct())
    pages -= set(states.objects.values_list("content_type_id", "object_id"))
    for content_type_id, object_id in sorted(pages):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model._default_manager.filter(pk=object_id).first() if model else None
        if page is None or not hasattr(page, "build_document"):
            continue
        row = workflow.write_state(page, None, digest=source_digest(page))
        if row.source_digest != getattr(row.sign_off, "source_digest", None):
            author = workflow.last_editor(page)
            row.changed_by = [author.pk] if author else []
            row.save(update_fields=["changed_by"])


class Migration(migrations.Migration):
    dependencies = [
        # Every table today's models read when they derive a page's state.
        ("reviews", "0014_physician_review_languages"),
        ("conditions", "0010_shared_part_changes"),
        ("references", "0006_reference_import_discarded_by"),
        ("publishing", "0001_initial"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [migrations.RunPython(write_missing_states, migrations.RunPython.noop)]
