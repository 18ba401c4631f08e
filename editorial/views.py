"""The public editorial policy and disclosures: their live publications, cached as pages are."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from editorial.models import URL_NAMES, EditorialPage
from publishing import renderings
from publishing.page_cache import cached_page
from publishing.pointers import live_pointer_or_404
from tovani.site_url import ORIGIN_PLACEHOLDER, site_context

TEMPLATE = "editorial/page.html"


def statement_context(publication, origin: str) -> dict:
    return {
        **site_context(),
        "publication": publication,
        "document": publication.document,
        "canonical_url": origin + reverse(URL_NAMES[publication.slug]),
    }


def render_statement(publication) -> str:
    return render_to_string(TEMPLATE, statement_context(publication, ORIGIN_PLACEHOLDER))


# Rendered at publish and stored, as every kind's renderings are (editorial.kind registers it).
STATEMENT = renderings.Kind(TEMPLATE, lambda: settings.PAGE_CACHE_VERSION, render_statement)


def statement(slug):
    """The view of one statement, at its fixed address."""

    def view(request):
        return cached_page(request, live_pointer_or_404(EditorialPage, slug, STATEMENT), STATEMENT)

    return view
