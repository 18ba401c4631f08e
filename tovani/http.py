"""HTTP validators shared by the public pages and the API: ETag, Last-Modified and 304."""

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe


def conditional_response(
    request, *, etag: str, last_modified: datetime, render: Callable[[], HttpResponse]
) -> HttpResponse:
    """304 when the client's If-None-Match or If-Modified-Since still holds, else render().

    Both answers carry the validators. render() is called only when a body is needed.
    """
    timestamp = int(last_modified.timestamp())
    response = None
    if _CONDITIONS.intersection(request.META):
        response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = render()
    response["ETag"] = etag
    response["Last-Modified"] = _http_date(timestamp)
    return response


# The request headers that can make an answer 304 or 412; most requests carry none of them.
_CONDITIONS = frozenset(
    {"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE"}
)


@lru_cache(maxsize=4096)
def _http_date(timestamp: int) -> str:
    return http_date(timestamp)


def read_only(view):
    """A public view that only reads: GET and HEAD, anything else 405 with Allow.

    Exempt from CSRF, which only guards methods it refuses anyway, so a POST gets the 405 and
    not the CSRF failure page.
    """
    return csrf_exempt(require_safe(view))


def public(response) -> HttpResponse:
    """Cache headers of a public answer: browsers and shared caches may keep it."""
    ages = (settings.PAGE_MAX_AGE, settings.PAGE_SHARED_MAX_AGE)
    if "Cache-Control" in response:
        patch_cache_control(response, public=True, max_age=ages[0], s_maxage=ages[1])
    else:
        response["Cache-Control"] = _public_cache_control(ages)
    return response


@lru_cache(maxsize=8)
def _public_cache_control(ages: tuple[int, int]) -> str:
    """The header patch_cache_control writes on an answer that has none yet."""
    response = HttpResponse()
    patch_cache_control(response, public=True, max_age=ages[0], s_maxage=ages[1])
    return response["Cache-Control"]
