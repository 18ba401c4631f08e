"""Existing sign-offs and publications keep approving what they approved.

Their digests were taken over the rendered document. Where a page's document is still exactly
the one a record holds (same digest), the record approved the page's current source, so it gets
that source's digest: an approved page stays approved, a live page stays live with its stamp.
A record whose page has changed since keeps an empty source digest, as the page needed a new
sign-off anyway. Every page with a workflow record then gets its stored review state, in
0007_review_event_hash_chain: that step uses the workflow's code, which reads the review records
with every column this release gives them.

Pages are built with the models as they are in this release (the document builder is code, not
a historical model); the step does nothing on a database without workflow records.
"""

from django.db import migrations


def record_source_digests(apps, schema_editor):
    from django.contrib.contenttypes.models import ContentType

    from reviews.digest import document_digest, source_digest

    records = [apps.get_model("reviews", name) for name in ("SignOff", "Publication")]
    events = apps.get_model("reviews", "ReviewEvent")
    pages = set()
    for model in [*records, events]:
        pages |= set(model.objects.values_list("content_type_id", "object_id").distinct())
    for content_type_id, object_id in sorted(pages):
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        page = model._default_manager.filter(pk=object_id).first() if model else None
        if page is None or not hasattr(page, "build_document"):
            continue
        rendered, source = document_digest(page.build_document()), source_digest(page)
        for record in records:
            record.objects.filter(
                content_type_id=content_type_id,
                object_id=object_id,
                digest=rendered,
                source_digest="",
            ).update(source_digest=source)


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0004_review_state_and_source_digests"),
        ("conditions", "0004_page_renderings"),
        ("references", "0002_pmcid_and_retraction"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [migrations.RunPython(record_source_digests, migrations.RunPython.noop)]
