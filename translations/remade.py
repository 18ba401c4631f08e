"""Live translated pages made again when what they show beside their signed text changes, with
no rebuild_library:

- a physician's Spanish honorific (Dr./Dra.): the Spanish pages they signed, and their rows in
  the Spanish index, say the new one;
- a translation of an editorial statement going live or coming down: every live page in its
  language links its footer to the statement in that language, or back to the English.

Both run inside the transaction of the change (the profile's save, the publish or take-down),
through publishing.pipeline.render_again, which names the pages for the purge.
"""

from django.db.models.signals import post_save, pre_save

from publishing import pipeline
from reviews.models import Physician, Publication
from translations.models import Translation
from translations.read_model import TranslatedEntry
from translations.stamps import reviewer_signature


def note_honorific(sender, instance, raw=False, **kwargs):
    """Keep the honorific the profile had before this save, to tell whether it changed."""
    instance._honorific_before = None
    if raw or instance.pk is None:
        return
    before = Physician.objects.filter(pk=instance.pk).values_list("spanish_honorific", flat=True)
    instance._honorific_before = before.first()


def honorific_saved(sender, instance, created=False, raw=False, **kwargs):
    before = getattr(instance, "_honorific_before", None)
    if raw or created or before is None or before == instance.spanish_honorific:
        return
    signed = list(
        Publication.objects.live_of(Translation)
        .filter(sign_off__physician=instance)
        .select_related("sign_off__physician", "content_type")
        .order_by("pk")
    )
    for publication in signed:
        TranslatedEntry.objects.filter(publication=publication).update(
            reviewed_by=reviewer_signature(publication.sign_off, publication.document["language"])
        )
    pipeline.render_again(signed, because="reviewer")


def statement_changed(publication) -> None:
    """A translated statement went live or came down: the other live pages in its language
    render their footers again."""
    language = publication.document["language"]
    others = list(
        Publication.objects.live_of(Translation)
        .filter(document__language=language)
        .exclude(pk=publication.pk)
        .select_related("sign_off__physician", "content_type")
        .order_by("pk")
    )
    pipeline.render_again(others, because="alongside")


def is_statement(publication) -> bool:
    return (publication.document["translation_of"].get("kind") or "condition") != "condition"


def connect() -> None:
    pre_save.connect(note_honorific, sender=Physician, dispatch_uid="translations.note_honorific")
    post_save.connect(
        honorific_saved, sender=Physician, dispatch_uid="translations.honorific_saved"
    )
