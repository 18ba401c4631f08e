"""When the English page is published again, its translations follow it, segment by segment.

Each translation then translates the new publication: a segment whose English text is the
same stays current; one whose English changed keeps its translation and the English it was
written for, and is stale until a person updates or confirms it; a new unit is a new, empty
segment; a unit the English no longer has goes. When the English change was flagged clinically
significant, the live translation either shows readers that it is being updated (the default)
or comes down, as its policy says, and partners hear translation.stale.
"""

import logging

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from publishing import registry
from reviews.workflow import live_publication
from translations.models import Segment, StalePolicy, Translation
from translations.sources import english_units, remember_units

logger = logging.getLogger(__name__)
TRANSLATED_KINDS = ("conditions.condition", "editorial.editorialpage")


def on_english_published(sender, instance, publication, **kwargs):
    if sender._meta.label_lower not in TRANSLATED_KINDS:
        return
    with transaction.atomic():
        remember_units(instance, publication)
        for translation in translations_of(instance):
            follow_english(translation, publication, instance)


def translations_of(page):
    return Translation.objects.filter(
        english_type=ContentType.objects.get_for_model(page), english_id=page.pk
    )


def follow_english(translation, publication, page) -> list[Segment]:
    """Make the translation translate publication; returns the segments that went stale."""
    if translation.english_publication_id == publication.pk:
        return []
    units = english_units(publication, page)
    stale = []
    with transaction.atomic(), reversion.create_revision():
        reversion.set_comment(
            f"The English page was published again on {publication.published_at:%Y-%m-%d}."
        )
        existing = {segment.key: segment for segment in translation.segments.all()}
        for position, unit in enumerate(units):
            segment = existing.pop(unit["key"], None)
            if segment is None:
                segment = Segment(translation=translation, key=unit["key"])
            was_current = not segment.is_missing and not segment.is_stale
            segment.label = unit["label"]
            segment.position = position
            segment.path = unit["path"]
            segment.format = unit["format"]
            segment.english = unit["text"]
            segment.save()
            if was_current and segment.is_stale:
                stale.append(segment)
        for gone in existing.values():
            gone.delete()
        significant = bool(stale) and publication.sign_off.clinically_significant
        translation.english_publication = publication
        translation.english_path = registry.kind_of(type(page)).path(publication.slug)
        translation.significant_english_change = (
            translation.significant_english_change or significant
        )
        translation.save()
    if significant:
        _act_on_significant_change(translation, publication, stale)
    return stale


def _act_on_significant_change(translation, publication, stale) -> None:
    from translations import events

    live = live_publication(translation)
    if live is not None and translation.stale_policy == StalePolicy.WITHDRAW:
        # The review interval's own withdrawal path: recorded with no person as the actor.
        from reviews.workflow.steps import _take_down

        _take_down(
            translation,
            None,
            "The English page changed in a clinically significant way on "
            f"{publication.published_at:%Y-%m-%d}; the translation is withdrawn until it is "
            "updated and signed again.",
        )
    transaction.on_commit(lambda: events.translation_stale(translation, publication, stale))


def on_english_taken_down(sender, instance, **kwargs):
    """A live translation comes down with its English page, in the same transaction: readers
    must never read a translation of a page the clinic no longer stands behind."""
    from reviews import workflow

    english = instance.content_type.model_class()
    if english is None or english._meta.label_lower not in TRANSLATED_KINDS:
        return
    for translation in Translation.objects.filter(
        english_type_id=instance.content_type_id, english_id=instance.object_id
    ):
        if live_publication(translation) is None:
            continue
        workflow.withdraw_with_original(
            translation,
            f"The English page it translates ({instance.slug}) was taken off the public site; "
            "the translation comes down with it.",
        )
