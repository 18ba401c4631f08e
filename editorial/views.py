"""The public editorial policy and disclosures: their live publications, cached as pages are."""

from django.urls import reverse

from conditions.public import cached_page, live_pointer_or_404, live_publication, site_context
from editorial.models import EditorialPage, Statement

TEMPLATE = "editorial/page.html"
URL_NAMES = {Statement.POLICY: "editorial:policy", Statement.DISCLOSURES: "editorial:disclosures"}


def statement_context(publication, origin: str) -> dict:
    return {
        **site_context(),
        "publication": publication,
        "document": publication.document,
        "canonical_url": origin + reverse(URL_NAMES[publication.slug]),
    }


def statement(slug):
    """The view of one statement, at its fixed address."""

    def view(request):
        pointer = live_pointer_or_404(EditorialPage, slug, TEMPLATE)
        return cached_page(
            request,
            pointer,
            TEMPLATE,
            lambda origin: statement_context(live_publication(pointer), origin),
        )

    return view
