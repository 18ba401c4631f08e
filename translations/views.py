"""The translated pages readers read, at /es/ followed by the English page's own address, and
the Spanish index and search beside them."""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation as locale

from conditions.search import RESULTS
from publishing.page_cache import cached_listing, cached_page
from publishing.pointers import live_pointer_or_404, live_publication
from tovani.http import public
from tovani.site_url import site_origin
from translations import pages, search
from translations.models import Translation, public_slug
from translations.read_model import TranslatedEntry


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


def translated_index(request, language="es"):
    """Every live translated condition page in the language, by title: kept, as the English
    index is, until the next translation is published or taken down."""

    def context(origin):
        entries = TranslatedEntry.objects.live().filter(language=language, english_kind="condition")
        return {
            "language": language,
            "entries": list(entries.order_by("title")),
            "canonical_url": origin + reverse("translations:index"),
            "english_url": origin + reverse("conditions:index"),
            "footer_statements": pages.footer_statements(language),
        }

    with locale.override(language):
        response = cached_listing(
            request,
            Translation,
            f"index:{language}",
            "translations/index.html",
            context,
            also=pages.reviewers_stamp(language),  # it names reviewers as pages do (Dr./Dra.)
        )
    response["Content-Language"] = language
    return response


def translated_search(request, language="es"):
    query = request.GET.get("q", "").strip()
    results = search.search(query, language)
    origin = site_origin(request)
    english_url = origin + reverse("search") + (request.get_full_path()[len(request.path) :])
    context = {
        "language": language,
        "query": query,
        "searched": bool(search.search_terms(query, language)),
        "results": results,
        "limited": len(results) == RESULTS,
        "english_url": english_url,
        "footer_statements": pages.footer_statements(language),
    }
    return _in_language(request, language, "translations/search.html", context)


def _in_language(request, language, template, context) -> HttpResponse:
    with locale.override(language):
        response = HttpResponse(render_to_string(template, context, request=request))
    response["Content-Language"] = language
    return public(response)
