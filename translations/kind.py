"""Translations as a kind of page: registered with publishing, following their segments and
the English pages they translate."""

from django.db.models.signals import post_delete

from publishing import registry
from reviews.models import LivePublication
from reviews.signals import published
from translations import library, pages
from translations.models import Segment, Translation


def pages_of_segments(model, pks):
    return model._default_manager.filter(pk__in=pks).values_list("translation_id", flat=True)


def translation_path(slug: str) -> str:
    translation = Translation.objects.filter(slug=slug).only("language", "english_path").first()
    return translation.public_path if translation else f"/{slug}/"


def register():
    from translations.staleness import on_english_published, on_english_taken_down

    registry.register(
        Translation,
        name="translation",
        route=translation_path,
        renderings=[pages.PAGE],
        follows={Segment: pages_of_segments},
        # Listed from their search rows, with their English pages as alternates, beside the
        # Spanish index (one query, not a lookup of each translation's address).
        sitemap=False,
        sitemap_entries=library.sitemap_entries,
        # Its search row at /es/, and its English page's alternates (publishing.alternates).
        read_model=registry.ReadModel(
            write=library.write, remove=library.remove, rebuild=library.rebuild
        ),
    )
    published.connect(on_english_published, dispatch_uid="translations.follow_english")
    # Inside the English page's withdrawal (the live pointer's deletion), not after it.
    post_delete.connect(
        on_english_taken_down, sender=LivePublication, dispatch_uid="translations.come_down"
    )
