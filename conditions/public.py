"""The read path shared by public pages: find what is live, answer from the cache.

A publication never changes, so its rendered HTML is cached under its id with no invalidation;
a new publication has a new id. The page is rendered once, when it is published, and kept as a
PageRendering row beside the publication. A condition page costs one query for the live
pointer (the documents stay unread) when the cache holds the page, and one more, for the
stored rendering, when it does not. Only a page never rendered under this PAGE_CACHE_VERSION
(after a deploy that changes templates) is rendered from its document on request, and stored.

Renderings hold ORIGIN_PLACEHOLDER where the site's origin goes (canonical URL, Open Graph,
JSON-LD), so one rendering serves SITE_URL and any host; the cache holds the page with the
origin filled in.

Listings (the index, treatment pages) depend on the whole set of live pages: they are cached
under the library's stamp, the count of live pages and the newest live publication id, which
every publish or unpublish changes. The cache keys also carry PAGE_CACHE_VERSION, so a deploy
that changes templates starts afresh, and the site's origin, which canonical URLs contain.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from conditions.models import PageRendering
from reviews.models import LivePublication, Publication

PAGE_CACHE_SECONDS = 24 * 60 * 60
# A reserved name (RFC 2606) that no real link uses.
ORIGIN_PLACEHOLDER = "https://origin.invalid"


def live_publication_or_404(model, slug) -> Publication:
    """The live publication at slug with its sign-off; both documents are loaded only on use."""
    try:
        return (
            Publication.objects.live_of(model)
            .select_related("sign_off")
            .defer("document", "sign_off__document")
            .get(live__slug=slug)
        )
    except Publication.DoesNotExist:
        raise Http404("No page is published at this address.") from None


def cached_page(request, publication: Publication, template: str, build_context):
    """The publication rendered with template, with validators a browser or CDN can reuse.

    build_context(origin) gives the template's context if the page was never rendered.
    """
    last_modified = int(publication.published_at.timestamp())
    response = get_conditional_response(request, etag=publication.etag, last_modified=last_modified)
    if response is None:
        origin = site_origin(request)
        key = _key(origin, template, publication.pk)
        html = cache.get(key)
        if html is None:
            html = rendering(publication, template, build_context).replace(
                ORIGIN_PLACEHOLDER, origin
            )
            cache.set(key, html, PAGE_CACHE_SECONDS)
        response = HttpResponse(html)
    response["ETag"] = publication.etag
    response["Last-Modified"] = http_date(last_modified)
    return public(response)


def cached_listing(request, model, name: str, template: str, build_context) -> HttpResponse:
    """A page derived from every live page of model, cached until the next publish or unpublish.

    build_context() runs only on a miss; it may raise Http404.
    """
    stamp = library_stamp(model)
    etag = f'"{stamp}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        key = _key(site_origin(request), template, f"{name}:{stamp}")
        html = cache.get(key)
        if html is None:
            html = render_to_string(template, build_context(), request=request)
            cache.set(key, html, PAGE_CACHE_SECONDS)
        response = HttpResponse(html)
    response["ETag"] = etag
    return public(response)


def rendering(publication: Publication, template: str, build_context) -> str:
    """The stored rendering of the publication under this PAGE_CACHE_VERSION, made if missing."""
    version = settings.PAGE_CACHE_VERSION
    stored = PageRendering.objects.filter(
        publication_id=publication.pk, template=template, version=version
    ).values_list("html", flat=True)
    html = stored.first()
    if html is None:
        html = render_to_string(template, build_context(ORIGIN_PLACEHOLDER))
        PageRendering.objects.bulk_create(
            [PageRendering(publication=publication, template=template, version=version, html=html)],
            ignore_conflicts=True,
        )
    return html


def library_stamp(model) -> str:
    """Changes whenever a page of model is published or unpublished: count and newest id."""
    live = LivePublication.objects.filter(content_type=ContentType.objects.get_for_model(model))
    row = live.aggregate(count=Count("pk"), newest=Max("publication_id"))
    return f"{row['count']}-{row['newest'] or 0}"


def public(response) -> HttpResponse:
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_MAX_AGE,
        s_maxage=settings.PAGE_SHARED_MAX_AGE,
    )
    return response


def site_origin(request) -> str:
    """Where the public site lives: SITE_URL, or the origin this request came to."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def absolute_url(request, path: str) -> str:
    return site_origin(request) + path


def site_context() -> dict:
    """What the site-wide context processor gives, for renderings made without a request."""
    return {"SITE_NAME": settings.SITE_NAME, "CLINIC_NAME": settings.CLINIC_NAME}


def _key(origin, template, name) -> str:
    return f"page:{settings.PAGE_CACHE_VERSION}:{origin}:{template}:{name}"
