"""The read path shared by public pages: find the live publication, answer from its cache.

A publication never changes, so its rendered HTML is cached under its id with no invalidation;
a new publication has a new id. The page cache key also carries PAGE_CACHE_VERSION so a deploy
that changes templates can start afresh.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from reviews.models import Publication
from tovani.http import conditional_response

PAGE_CACHE_SECONDS = 24 * 60 * 60


def live_publication_or_404(model, slug) -> Publication:
    try:
        return Publication.objects.live_at(model, slug)
    except Publication.DoesNotExist:
        raise Http404("No page is published at this address.") from None


def cached_page(request, publication: Publication, template: str) -> HttpResponse:
    """The publication rendered with template, with validators a browser or CDN can reuse."""
    response = conditional_response(
        request,
        etag=publication.etag,
        last_modified=publication.published_at,
        render=lambda: HttpResponse(_rendered(request, publication, template)),
    )
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_MAX_AGE,
        s_maxage=settings.PAGE_SHARED_MAX_AGE,
    )
    return response


def _rendered(request, publication, template) -> str:
    key = f"page:{settings.PAGE_CACHE_VERSION}:{template}:{publication.pk}"
    html = cache.get(key)
    if html is None:
        context = {"publication": publication, "document": publication.document}
        html = render_to_string(template, context, request=request)
        cache.set(key, html, PAGE_CACHE_SECONDS)
    return html
