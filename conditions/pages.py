"""What a condition page shows, built from its publication alone (no request), so the page can
be rendered when it is published as well as on request."""

from django.urls import reverse

from conditions.public import rendering, site_context
from conditions.structured_data import condition_page

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


def render_condition_page(publication) -> str:
    """Render and store the page of a publication (done when it goes live)."""
    return rendering(
        publication.pk, DETAIL_TEMPLATE, lambda origin: condition_context(publication, origin)
    )
