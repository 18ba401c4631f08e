"""What a translated page shows, rendered once at publish from its publication alone, in the
page's own language."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation as locale

from publishing import renderings
from tovani.site_url import ORIGIN_PLACEHOLDER, site_context

DETAIL_TEMPLATE = "translations/detail.html"


def page_context(publication, origin: str) -> dict:
    document = publication.document
    english = document["translation_of"]
    return {
        **site_context(),
        "publication": publication,
        "document": document,
        "english": english,
        "language": document["language"],
        "canonical_url": origin + f"/{document['language']}{english['path']}",
        "english_url": origin + english["path"],
    }


def render_page(publication) -> str:
    with locale.override(publication.document["language"]):
        return render_to_string(DETAIL_TEMPLATE, page_context(publication, ORIGIN_PLACEHOLDER))


PAGE = renderings.Kind(DETAIL_TEMPLATE, lambda: settings.PAGE_CACHE_VERSION, render_page)
