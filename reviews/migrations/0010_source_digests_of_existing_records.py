"""Existing sign-offs and publications keep approving what they approved.

Their digests were taken over the rendered document. Where a page still shows what a record
holds, the record approved the page's current source, so it gets that source's digest: an
approved page stays approved, a live page stays live with its stamp. "Still shows" compares
content, not the renderer's bytes: this release renders citations and references with more
markup and more fields, which must not count as a change nobody signed. A record whose page has
changed since keeps an empty source digest, as the page needed a new sign-off anyway. Every page
with a workflow record then gets its stored review state in 0015, once every later table exists
(the state is derived with today's models, which read columns added after this step).

Pages are built with the models as they are in this release (the document builder is code, not
a historical model); the step does nothing on a database without workflow records.
"""

import re

from django.db import migrations

# Parts of a document derived from others by the formatter of the day (a citation style, links
# made from identifiers); the fields they come from are compared instead.
_DERIVED = {"formatted", "citation", "short_authors", "source_name"}
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def _words(text):
    return _SPACE.sub("", _TAG.sub("", text))


def same_content(signed, current):
    """Whether current shows what the older document signed showed: the same words in every
    part signed had, whatever markup or newer fields surround them."""
    if isinstance(signed, dict):
        return isinstance(current, dict) and all(
            key in current and same_content(value, current[key])
            for key, value in signed.items()
            if key not in _DERIVED
        )
    if isinstance(signed, list):
        return (
            isinstance(current, list)
            and len(signed) == len(current)
            and all(map(same_content, signed, current))
        )
    if isinstance(signed, str):
        return isinstance(current, str) and _words(signed) == _words(current)
    return signed == current


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
        document, source = page.build_document(), source_digest(page)
        rendered = document_digest(document)
        for record in records:
            unmatched = record.objects.filter(
                content_type_id=content_type_id, object_id=object_id, source_digest=""
            )
            for row in unmatched:
                if row.digest == rendered or same_content(row.document, document):
                    row.source_digest = source
                    row.save(update_fields=["source_digest"])


class Migration(migrations.Migration):
    dependencies = [
        # Last, when the step was written, of every app whose models the page's source is built
        # from: the step uses the models as they are in the running release, so their tables
        # must be complete. Later migrations of those apps are not added here: a database that
        # has applied this step would then refuse to migrate (InconsistentMigrationHistory).
        # Where the step has work to do, `migrate` plans them first anyway (it takes the apps'
        # leaf migrations in order of app label); tests/test_workflow_migration.py pins that.
        ("reviews", "0009_review_event_hash_chain"),
        ("conditions", "0007_treatment_listing_descriptions"),
        ("references", "0004_journal_help_text"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [migrations.RunPython(record_source_digests, migrations.RunPython.noop)]
