"""JSON answers with validators: ETag, Last-Modified, Cache-Control, and 304."""

import hashlib
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control, patch_vary_headers
from rest_framework.renderers import JSONRenderer

from api.representations import REPRESENTATION
from partners.authentication import API_KEY_HEADER
from tovani.http import conditional_response


def json_answer(
    request,
    *,
    etag: str,
    last_modified: datetime,
    body: Callable[[], bytes],
    content_type: str = "application/json",
) -> HttpResponse:
    """body() as JSON (or content_type), or 304 when the partner's copy is current.

    Answers are for one partner's key: caches may keep them privately, never shared.
    """
    response = conditional_response(
        request,
        etag=etag,
        last_modified=last_modified,
        render=lambda: HttpResponse(body(), content_type=content_type),
    )
    return _kept_privately(response)


def streamed_json_answer(
    request, *, etag: str, last_modified: datetime, chunks: Callable[[], Iterable[bytes]]
) -> HttpResponseBase:
    """The JSON made of chunks(), sent as they come, or 304 as json_answer gives: for an
    answer too large to hold, whose ETag is made of what it depends on, not of its bytes."""
    response = conditional_response(
        request,
        etag=etag,
        last_modified=last_modified,
        render=lambda: StreamingHttpResponse(chunks(), content_type="application/json"),
    )
    return _kept_privately(response)


def _kept_privately(response):
    if "Cache-Control" in response or "Vary" in response:
        patch_cache_control(response, private=True, max_age=settings.API_MAX_AGE)
        patch_vary_headers(response, [API_KEY_HEADER])
    else:
        response["Cache-Control"] = _private_cache_control(settings.API_MAX_AGE)
        response["Vary"] = API_KEY_HEADER
    return response


@lru_cache(maxsize=8)
def _private_cache_control(max_age: int) -> str:
    """The header patch_cache_control writes on an answer that has none yet."""
    response = HttpResponse()
    patch_cache_control(response, private=True, max_age=max_age)
    return response["Cache-Control"]


def hashed_json_answer(
    request, data=None, *, body=None, last_modified: datetime, content_type="application/json"
) -> HttpResponse:
    """data rendered once (or body, already JSON or of content_type), its ETag a hash of exactly
    these bytes: for answers made per request."""
    if body is None:
        body = JSONRenderer().render(data)
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    return json_answer(
        request,
        etag=etag,
        last_modified=last_modified,
        body=lambda: body,
        content_type=content_type,
    )


def detail_etag(pointer) -> str:
    """The page's digest, with the publication that stamps it and the representation version
    (a release that changes the stored JSON changes every ETag with it)."""
    return f'"{pointer.digest}-{pointer.pk}-v{REPRESENTATION}.{settings.API_CACHE_VERSION}"'
