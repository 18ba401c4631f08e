"""What a translator does: start a translation, write or confirm segments, ask a machine.

Every change is a recorded save (a django-reversion revision by the translator), so the
publishing layer's one save path keeps the translation's review state, and remembers who
changed it: the physician who signs must not be one of them.
"""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from publishing import registry
from reviews.workflow import live_publication
from translations import machine
from translations.errors import TranslationError
from translations.models import Origin, Segment, Translation, public_slug, sha256
from translations.sources import english_units


def refuse_unless_translator(user, action="translate pages") -> None:
    """Only those who may add and change translations (the Translators role) write them."""
    if not user.has_perms(["translations.add_translation", "translations.change_translation"]):
        raise TranslationError(f"Only translators {action}.")


def start_translation(page, language, translator) -> Translation:
    """A translation of the English page's live publication, one empty segment per unit."""
    refuse_unless_translator(translator, "start a translation")
    publication = live_publication(page)
    if publication is None:
        raise TranslationError("Only a published English page can be translated.")
    content_type = ContentType.objects.get_for_model(page)
    if Translation.objects.filter(
        english_type=content_type, english_id=page.pk, language=language
    ).exists():
        raise TranslationError("This page already has a translation into that language.")
    path = registry.kind_of(type(page)).path(publication.slug)
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(translator)
        reversion.set_comment(
            f"Translation started from the English of {publication.published_at:%Y-%m-%d}."
        )
        translation = Translation.objects.create(
            language=language,
            english_type=content_type,
            english_id=page.pk,
            english_publication=publication,
            english_path=path,
            slug=public_slug(language, path),
            translator=translator,
        )
        Segment.objects.bulk_create(
            Segment(
                translation=translation,
                key=unit["key"],
                label=unit["label"],
                position=n,
                path=unit["path"],
                format=unit["format"],
                english=unit["text"],
            )
            for n, unit in enumerate(english_units(publication, page))
        )
        # bulk_create sends no signal: the revision follows the rows from the translation.
        reversion.add_to_revision(translation)
    return translation


def write_segment(segment, text, user) -> Segment:
    """A person's translation of the segment's current English (a confirmation, when the
    text is unchanged): the segment is then current, and no longer an unchecked machine text."""
    refuse_unless_translator(user, "write a translation")
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        segment = Segment.objects.select_for_update().get(pk=segment.pk)
        if text.strip() != segment.text.strip():
            segment.origin = Origin.PERSON
        segment.text = text.strip()
        segment.translated_english = segment.english
        segment.translated_sha256 = sha256(segment.english)
        segment.unchecked_machine = False
        segment.save()
        _claim(segment.translation, user)
    return segment


def confirm_segment(segment, user) -> Segment:
    """A person read the segment's text against its English and keeps it as it is."""
    if segment.is_missing:
        raise TranslationError(f"“{segment.label}” has no translation to confirm.")
    return write_segment(segment, segment.text, user)


def machine_draft(translation, user) -> tuple[list[Segment], list[str]]:
    """Fill every untranslated or stale segment from the machine backend, each marked machine
    and unchecked. A machine text that breaks a protected token is not kept: (filled, refused)."""
    refuse_unless_translator(user, "ask for a machine draft")
    translator = machine.backend()
    if translator is None:
        raise TranslationError("No machine translator is configured.")
    wanted = [s for s in translation.ordered_segments() if s.is_missing or s.is_stale]
    texts = translator.translate([s.english for s in wanted], "en", translation.language)
    filled, refused = [], []
    with transaction.atomic(), reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment("Machine translation of untranslated and stale segments.")
        for segment, text in zip(wanted, texts, strict=True):
            segment.text = text.strip()
            segment.origin = Origin.MACHINE
            segment.unchecked_machine = True
            segment.translated_english = segment.english
            segment.translated_sha256 = sha256(segment.english)
            try:
                segment.save()
            except ValidationError as error:
                refused += error.messages
                continue
            filled.append(segment)
        _claim(translation, user)
    return filled, refused


def _claim(translation, user) -> None:
    """The first person to write a segment is the translation's translator."""
    if translation.translator_id is None and user is not None:
        Translation.objects.filter(pk=translation.pk).update(translator=user)
