"""The translated pages readers read, at /es/ followed by the English page's own address."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation as locale

from publishing.page_cache import cached_page
from publishing.pointers import live_pointer_or_404, live_publication
from tovani.site_url import site_origin
from translations import pages
from translations.models import Translation, public_slug


def translated_page(request, english_path, language="es"):
    slug = public_slug(language, "/" + english_path)
    pointer = live_pointer_or_404(Translation, slug, pages.PAGE)
    notice = pages.updating_notice(slug, pointer)
    if notice is None:
        response = cached_page(request, pointer, pages.PAGE)
    else:
        # Said at once, while the translation catches up: not a stored rendering.
        publication = live_publication(pointer)
        with locale.override(language):
            html = render_to_string(
                pages.DETAIL_TEMPLATE,
                {**pages.page_context(publication, site_origin(request)), "updating": notice},
            )
        response = HttpResponse(html)
    response["Content-Language"] = language
    return response
