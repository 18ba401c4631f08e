"""The read path shared by public pages: find what is live, answer from the cache.

A publication never changes, so its rendered HTML is cached under its id with no invalidation;
a new publication has a new id. The page is rendered once, when it is published, and kept as a
PageRendering row beside the publication. A condition page costs one query for the live
pointer (id, digest and date of the live publication; no document is read) when the cache
holds the page, and one more, for the stored rendering, when it does not. Only a page never
rendered under this PAGE_CACHE_VERSION (after a deploy that changes templates) is rendered from
its document on request, and stored.

Every cache key names immutable content (a publication id, or the stamp of the live set), so
the cache never needs invalidating, and each process can keep the pages it served last in its
own memory (PAGE_MEMORY_CACHE_ENTRIES) in front of the shared cache (Redis when REDIS_URL is
set): a hit then costs the pointer query and nothing else.

Renderings hold ORIGIN_PLACEHOLDER where the site's origin goes (canonical URL, Open Graph,
JSON-LD), so one rendering serves SITE_URL and any host; the cache holds the page with the
origin filled in.

Listings (the index, treatment pages) depend on the whole set of live pages: they are cached
under the library's stamp, the count of live pages and the newest live publication id, which
every publish or unpublish changes. The cache keys also carry PAGE_CACHE_VERSION, so a deploy
that changes templates starts afresh, and the site's origin, which canonical URLs contain.
"""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache as memoize

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control

from conditions.models import PageRendering
from reviews.models import LivePublication, Publication
from tovani.http import conditional_response

PAGE_CACHE_SECONDS = 24 * 60 * 60
# A reserved name (RFC 2606) that no real link uses.
ORIGIN_PLACEHOLDER = "https://origin.invalid"


@dataclass(frozen=True)
class LivePointer:
    """What a cache hit needs of the live publication: its id, digest and date."""

    pk: int
    digest: str
    published_at: datetime
    # The stored rendering, when the lookup brought it along: a cache miss then needs no query.
    html: str | None = field(default=None, compare=False, repr=False)

    @property
    def etag(self) -> str:
        """As Publication.etag: the digest names the content, the id the stamp with it."""
        return f'"{self.pk}-{self.digest[:20]}"'


def live_pointer_or_404(model, slug, template: str) -> LivePointer:
    """The live publication at slug, with its stored rendering for template when there is one.

    One indexed query, in plain SQL: every public page view runs it, and building it with the
    ORM costs more than running it. Each process remembers the answer for PAGE_POINTER_SECONDS,
    so a page read many times a second costs no query at all; a publish or unpublish reaches
    every process within that time (browsers and CDNs keep pages far longer: PAGE_MAX_AGE).
    """
    key = (model, slug, template)
    pointer = recent_pointers.get(key, _NOT_REMEMBERED)
    if pointer is _NOT_REMEMBERED:
        version = settings.PAGE_CACHE_VERSION
        with connection.cursor() as cursor:
            cursor.execute(
                _pointer_sql(model),
                [template, version, ContentType.objects.get_for_model(model).pk, slug],
            )
            row = cursor.fetchone()
        pointer = None
        if row is not None:
            pk, digest, published_at, html = row
            pointer = LivePointer(pk, digest, _aware(published_at), html)
        # The rendering is not kept here: the page caches hold it once per publication.
        recent_pointers.set(key, replace(pointer, html=None) if pointer else None)
    if pointer is None:
        raise Http404("No page is published at this address.")
    return pointer


def live_publication(pointer: LivePointer) -> Publication:
    """The whole publication a pointer names, with its sign-off, to render it."""
    return Publication.objects.select_related("sign_off").get(pk=pointer.pk)


@memoize
def _pointer_sql(model) -> str:
    quote = connection.ops.quote_name
    live, publication = LivePublication._meta.db_table, Publication._meta.db_table
    rendering_table = PageRendering._meta.db_table
    # Names from the models' metadata, quoted; the values are parameters. The rendering comes
    # from a scalar subquery: PostgreSQL plans it in half the time of the same LEFT JOIN, and
    # planning, not running, is most of this query's cost.
    return (
        f"SELECT p.{quote('id')}, p.{quote('digest')}, p.{quote('published_at')}, "  # noqa: S608
        f"(SELECT r.{quote('html')} FROM {quote(rendering_table)} r "
        f"WHERE r.{quote('publication_id')} = p.{quote('id')} "
        f"AND r.{quote('template')} = %s AND r.{quote('version')} = %s) "
        f"FROM {quote(live)} l INNER JOIN {quote(publication)} p "
        f"ON p.{quote('id')} = l.{quote('publication_id')} "
        f"WHERE l.{quote('content_type_id')} = %s AND l.{quote('slug')} = %s"
    )


def _aware(value) -> datetime:
    # PostgreSQL gives an aware datetime; SQLite a naive one (or text) in UTC.
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)


def cached_page(request, pointer: LivePointer, template: str, build_context):
    """The live publication rendered with template, with validators a browser or CDN can reuse.

    build_context(origin) gives the template's context if the page was never rendered.
    """

    def render():
        origin = site_origin(request)
        key = _key(origin, template, pointer.pk)
        html = _cached(key)
        if html is None:
            stored = pointer.html or rendering(pointer.pk, template, build_context)
            html = stored.replace(ORIGIN_PLACEHOLDER, origin)
            _store(key, html)
        return HttpResponse(html)

    return public(
        conditional_response(
            request, etag=pointer.etag, last_modified=pointer.published_at, render=render
        )
    )


def cached_listing(request, model, name: str, template: str, build_context) -> HttpResponse:
    """A page derived from every live page of model, cached until the next publish or unpublish.

    build_context() runs only on a miss; it may raise Http404.
    """
    stamp = library_stamp(model)
    etag = f'"{stamp}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        key = _key(site_origin(request), template, f"{name}:{stamp}")
        html = _cached(key)
        if html is None:
            html = render_to_string(template, build_context(), request=request)
            _store(key, html)
        response = HttpResponse(html)
    response["ETag"] = etag
    return public(response)


def rendering(publication_id: int, template: str, build_context) -> str:
    """The stored rendering of a publication under this PAGE_CACHE_VERSION, made if missing."""
    version = settings.PAGE_CACHE_VERSION
    with connection.cursor() as cursor:
        cursor.execute(_rendering_sql(), [publication_id, template, version])
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    html = render_to_string(template, build_context(ORIGIN_PLACEHOLDER))
    stored = PageRendering(
        publication_id=publication_id, template=template, version=version, html=html
    )
    PageRendering.objects.bulk_create([stored], ignore_conflicts=True)
    return html


@memoize
def _rendering_sql() -> str:
    quote = connection.ops.quote_name
    return (
        f"SELECT {quote('html')} FROM {quote(PageRendering._meta.db_table)} "  # noqa: S608
        f"WHERE {quote('publication_id')} = %s AND {quote('template')} = %s "
        f"AND {quote('version')} = %s"
    )


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


class ProcessMemory:
    """Values this process used last, least recently used out first, each kept for a time.

    limit() and seconds() read the settings on each use, so tests and deploys can change them;
    seconds() of None keeps a value until it is pushed out, 0 or less keeps nothing.
    """

    def __init__(self, limit, seconds=lambda: None):
        self._limit, self._seconds = limit, seconds
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or (entry[0] is not None and entry[0] <= time.monotonic()):
                return default
            self._entries.move_to_end(key)
            return entry[1]

    def set(self, key, value):
        seconds = self._seconds()
        if seconds is not None and seconds <= 0:
            return
        expires = None if seconds is None else time.monotonic() + seconds
        with self._lock:
            self._entries[key] = (expires, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._limit():
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()


# Safe without invalidation: every key names content that never changes.
memory_pages = ProcessMemory(limit=lambda: settings.PAGE_MEMORY_CACHE_ENTRIES)
# Which publication is live at an address (or that none is), for PAGE_POINTER_SECONDS.
recent_pointers = ProcessMemory(limit=lambda: 10_000, seconds=lambda: settings.PAGE_POINTER_SECONDS)
_NOT_REMEMBERED = object()


def _cached(key):
    html = memory_pages.get(key)
    if html is None:
        html = cache.get(key)
        if html is not None:
            memory_pages.set(key, html)
    return html


def _store(key, html):
    cache.set(key, html, PAGE_CACHE_SECONDS)
    memory_pages.set(key, html)


def _key(origin, template, name) -> str:
    return f"page:{settings.PAGE_CACHE_VERSION}:{origin}:{template}:{name}"
