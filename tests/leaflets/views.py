from django.utils.html import format_html

from publishing import renderings
from publishing.page_cache import cached_page
from publishing.pointers import live_pointer_or_404
from tests.leaflets.models import Leaflet
from tovani.site_url import ORIGIN_PLACEHOLDER


def render_leaflet(publication) -> str:
    document = publication.document
    return format_html(
        '<!doctype html><title>{}</title><link rel="canonical" href="{}/leaflets/{}/">'
        "<h1>{}</h1><p>{}</p><p>Reviewed by {}</p>",
        document["title"],
        ORIGIN_PLACEHOLDER,
        document["slug"],
        document["title"],
        document["text"],
        publication.sign_off.signature,
    )


LEAFLET = renderings.Kind("leaflets/page", lambda: "1", render_leaflet)


def leaflet(request, slug):
    return cached_page(request, live_pointer_or_404(Leaflet, slug, LEAFLET), LEAFLET)
