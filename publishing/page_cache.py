"""Answers made of stored renderings and listings, from process memory, the shared cache or
PostgreSQL, with validators a browser, a CDN or a partner can reuse.

A publication never changes, so its renderings are kept under its id with no invalidation; a new
publication has a new id. A condition page costs the live pointer (publishing.pointers), which
brings the stored rendering along; the rendering, with the site's origin filled in, is kept in
each process's memory (PAGE_MEMORY_CACHE_ENTRIES), so a page read often costs no query and no
round trip at all within PAGE_POINTER_SECONDS.

The shared cache (Redis, through tovani.shared_cache) holds renderings and listings with
ORIGIN_PLACEHOLDER in them, so no Host a request names creates an entry there. Listings (the
index, treatment pages) depend on the whole set of live pages: they are kept under the
library's stamp, which every publish or unpublish changes. Keys, ETags and Last-Modified carry
the version of what was rendered (PAGE_CACHE_VERSION for HTML), so a deploy that changes
templates starts afresh and no cache revalidates an old page to 304.
"""

import hashlib
from datetime import datetime

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import get_conditional_response

from publishing import renderings
from publishing.alternates import with_alternates
from publishing.notices import with_notice
from publishing.pointers import LivePointer, library_stamp, live_publication
from tovani import shared_cache
from tovani.http import conditional_response, public
from tovani.process_memory import ProcessMemory
from tovani.replay import replay_while
from tovani.site_url import ORIGIN_PLACEHOLDER, site_origin

CACHE_SECONDS = 24 * 60 * 60

# Safe without invalidation: every key names content that never changes.
memory_pages = ProcessMemory(limit=lambda: settings.PAGE_MEMORY_CACHE_ENTRIES)


def cached_page(request, pointer: LivePointer, kind: renderings.Kind) -> HttpResponse:
    """The live publication's page, or 304 when the visitor's copy is current."""
    return public(
        conditional_response(
            request,
            etag=page_etag(pointer, kind),
            last_modified=last_modified(pointer),
            render=lambda: HttpResponse(stored_answer(request, pointer, kind)),
        )
    )


def page_etag(pointer: LivePointer, kind: renderings.Kind) -> str:
    """The page's validator: its publication, the rendering's version and moment, and what is
    shown alongside it."""
    # A notice or a language version changes the answer, not the publication: the validator
    # names both.
    alongside = (pointer.notice, pointer.alternates)
    notice = f"-n{_short_hash(repr(alongside))}" if any(alongside) else ""
    return f'"{pointer.pk}-{pointer.digest[:20]}-{kind.version()}{_remade(pointer)}{notice}"'


def replayed_page(response, read_pointer, kind: renderings.Kind):
    """response, given again by tovani.replay while the live pointer read_pointer() reads
    names the same page (a publish, a withdrawal, a notice or a new rendering ends it)."""
    if response.status_code != 200:
        return response
    return replay_while(response, response["ETag"], lambda request: page_etag(read_pointer(), kind))


def _remade(pointer: LivePointer) -> str:
    """A rendering made after its publication (at first use under a new version, or again by
    publishing.pipeline.render_again) is named by that moment, so a copy of the one before it
    is not revalidated."""
    made = pointer.rendered_at
    if made is None or made == pointer.published_at:
        return ""
    return f"-r{int(made.timestamp() * 1000)}"


def last_modified(pointer: LivePointer) -> datetime:
    """When the rendering was made: at publish, or after a deploy that changed its version."""
    return pointer.rendered_at or timezone.now()


def stored_answer(request, pointer: LivePointer, kind: renderings.Kind) -> bytes:
    """The publication's rendering of kind with the site's origin in it, as bytes."""
    origin = site_origin(request)
    memory_key = (origin, kind.name, kind.version(), pointer.pk, pointer.rendered_at)
    memory_key += (pointer.notice,)
    memory_key += pointer.alternates
    body = memory_pages.get(memory_key)
    if body is None:
        stored = _rendering(pointer, kind)
        if pointer.notice or pointer.alternates:
            text = with_notice(stored.decode(), pointer.notice)
            own = settings.LANGUAGE_CODE.split("-")[0]
            text = with_alternates(text, pointer.alternates, own, origin + request.path, origin)
            stored = text.encode()
        # Bytes as they were stored: most answers need no decoding and no encoding.
        body = stored.replace(_ORIGIN_PLACEHOLDER, origin.encode())
        memory_pages.set(memory_key, body)
    return body


_ORIGIN_PLACEHOLDER = ORIGIN_PLACEHOLDER.encode()


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _rendering(pointer: LivePointer, kind: renderings.Kind) -> bytes:
    if pointer.body is not None:
        return pointer.body
    key = f"rendering:{kind.name}:{kind.version()}:{pointer.pk}"
    text = shared_cache.get(key)
    if text is None:
        text = renderings.stored(pointer.pk, kind, lambda: live_publication(pointer))
        shared_cache.set(key, text, CACHE_SECONDS)
    return text.encode()


def cached_listing(
    request, model, name: str, template: str, build_context, *, also: str = ""
) -> HttpResponse:
    """A page derived from every live page of model, kept until the next publish or unpublish
    (also: a stamp of what else it shows, beside the live pages, that changes it).

    build_context(origin) runs only on a miss; it may raise Http404.
    """
    version = settings.PAGE_CACHE_VERSION
    stamp = f"{library_stamp(model)}{'-' + also if also else ''}"
    etag = f'"{stamp}-{version}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        origin = site_origin(request)
        memory_key = (origin, template, name, str(stamp), version)
        body = memory_pages.get(memory_key)
        if body is None:
            key = f"listing:{version}:{template}:{name}:{stamp}"
            html = shared_cache.get(key)
            if html is None:
                context = build_context(ORIGIN_PLACEHOLDER)
                html = render_to_string(template, context, request=request)
                shared_cache.set(key, html, CACHE_SECONDS)
            body = html.replace(ORIGIN_PLACEHOLDER, origin).encode()
            memory_pages.set(memory_key, body)
        response = HttpResponse(body)
    response["ETag"] = etag
    return public(response)
