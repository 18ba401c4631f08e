"""What a condition page shows, built from its publication alone (no request), so the page is
rendered once, when it is published, with the site's origin left as a placeholder."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from conditions import renderings
from conditions.structured_data import condition_page
from tovani.site_url import ORIGIN_PLACEHOLDER, site_context

DETAIL_TEMPLATE = "conditions/detail.html"


def condition_context(publication, origin: str) -> dict:
    document = publication.document
    url = origin + reverse("conditions:detail", args=[document["slug"]])
    return {
        **site_context(),
        "publication": publication,
        "document": document,
        "canonical_url": url,
        "structured_data": condition_page(
            document,
            publication.sign_off,
            url,
            lambda slug: origin + reverse("treatments:detail", args=[slug]),
        ),
    }


def render_page(publication) -> str:
    return render_to_string(DETAIL_TEMPLATE, condition_context(publication, ORIGIN_PLACEHOLDER))


PAGE = renderings.register(
    renderings.Kind(DETAIL_TEMPLATE, lambda: settings.PAGE_CACHE_VERSION, render_page)
)
