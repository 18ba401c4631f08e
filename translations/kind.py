"""Translations as a kind of page: registered with publishing, following their segments and
the English pages they translate."""

from django.db.models.signals import post_delete

from publishing import alternates, registry
from reviews.models import LivePublication
from reviews.signals import published
from translations import pages
from translations.models import Segment, Translation


def pages_of_segments(model, pks):
    return model._default_manager.filter(pk__in=pks).values_list("translation_id", flat=True)


def translation_path(slug: str) -> str:
    translation = Translation.objects.filter(slug=slug).only("language", "english_path").first()
    return translation.public_path if translation else f"/{slug}/"


def link_from_english(publication) -> None:
    """As a translation goes live, its English page links to it (publishing.alternates)."""
    translation = Translation.objects.get(pk=publication.object_id)
    alternates.set_alternate(translation.english, translation.language, translation.public_path)


def unlink_from_english(publication) -> None:
    translation = Translation.objects.filter(pk=publication.object_id).first()
    if translation is not None and translation.english is not None:
        alternates.clear_alternate(translation.english, translation.language)


def register():
    from translations.staleness import on_english_published, on_english_taken_down

    registry.register(
        Translation,
        name="translation",
        route=translation_path,
        renderings=[pages.PAGE],
        follows={Segment: pages_of_segments},
        read_model=registry.ReadModel(write=link_from_english, remove=unlink_from_english),
    )
    published.connect(on_english_published, dispatch_uid="translations.follow_english")
    # Inside the English page's withdrawal (the live pointer's deletion), not after it.
    post_delete.connect(
        on_english_taken_down, sender=LivePublication, dispatch_uid="translations.come_down"
    )
