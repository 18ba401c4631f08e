"""A public answer given again, as it was, while the view that made it would make it the same.

A page read again and again is the same bytes and the same headers until its validator changes.
Answering each read through the whole middleware stack, the URL resolver and the view makes
those bytes again for nothing. A view that can tell, cheaply, whether it would answer the same
marks its answer with replay_while(response, validator, still): still(request) gives the
validator the view would give now (the page's ETag, from the live pointer it would read), or
None when it would not answer 200. ReplayMiddleware keeps the finished answer (every header the
stack added) and answers the next such request with a copy while still() gives the same
validator: the live pointer is read exactly as the view reads it, so a withdrawal or a new
publication stops the replay as soon as it would change the view's answer.

Only what a shared cache could keep is replayed: GET, no cookie (no session, no staff hint: a
signed-in person's requests go through the stack), no Authorization, no conditional header but
If-None-Match (answered 304 here when it names the kept ETag, as the view would), a 200 that
sets no cookie, carries no CSP nonce and is not streamed; an answer that varies on a request
header is replayed only to requests with the same value.
finish(request, response), when given, writes what differs per request (the rate-limit
headers of an API answer). PAGE_MEMORY_CACHE_ENTRIES bounds the answers kept (0: none, as the
bench's cold run has it).
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponseNotModified
from django.utils.cache import cc_delim_re
from django.utils.http import parse_etags

from tovani.process_memory import ProcessMemory

# Requests whose answer depends on who asks or what they already hold.
_PERSONAL = ("HTTP_COOKIE", "HTTP_AUTHORIZATION")
# Answered by the view; If-None-Match alone is answered here, by the kept ETag.
_CONDITIONAL = (
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_RANGE",
)


@dataclass(frozen=True)
class Replay:
    validator: object
    still: Callable
    finish: Callable | None = None


@dataclass(frozen=True)
class _Kept:
    replay: Replay
    varies: tuple[tuple[str, str | None], ...]
    response: object


answers = ProcessMemory(limit=lambda: settings.PAGE_MEMORY_CACHE_ENTRIES)


@receiver(setting_changed)
def _forget(**kwargs):
    # A kept answer holds what the settings made of it (its origin, its Cache-Control).
    answers.clear()


def replay_while(response, validator, still: Callable, finish: Callable | None = None):
    """Mark response as one to give again while still(request) returns validator."""
    response.replay = Replay(validator, still, finish)
    return response


def never_replay(response):
    """Take the mark off an answer a wrapper changed in a way still() does not see."""
    response.replay = None
    return response


class ReplayMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _key(request) if settings.PAGE_MEMORY_CACHE_ENTRIES > 0 else None
        if key is None:
            return self.get_response(request)
        kept = answers.get(key)
        if kept is not None:
            again = _again(kept, request)
            if again is not None:
                return again
        response = self.get_response(request)
        replay = getattr(response, "replay", None)
        if replay is not None and _keepable(response):
            answers.set(key, _Kept(replay, _varies(request, response), _snapshot(response)))
        return response


def _key(request):
    meta = request.META
    if request.method != "GET" or any(meta.get(name) for name in (*_PERSONAL, *_CONDITIONAL)):
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    return (request.scheme, host, request.path, meta.get("QUERY_STRING", ""))


def _again(kept: _Kept, request):
    meta = request.META
    if any(meta.get(name) != value for name, value in kept.varies):
        return None
    try:
        still = kept.replay.still(request)
    except Exception:  # noqa: BLE001 - the stack answers whatever went wrong, as it would
        still = None
    if still != kept.replay.validator:
        return None
    asked = meta.get("HTTP_IF_NONE_MATCH")
    if asked and _matches(asked, kept.response["ETag"]):
        response = _not_modified(kept.response)
    else:
        response = _snapshot(kept.response)
    if kept.replay.finish is not None:
        response = kept.replay.finish(request, response)
    return response


def _matches(if_none_match: str, etag: str) -> bool:
    """If-None-Match's weak comparison (RFC 9110, 13.1.2), as Django's conditional answer
    makes it."""
    asked = parse_etags(if_none_match)
    return "*" in asked or etag.removeprefix("W/") in {tag.removeprefix("W/") for tag in asked}


def _not_modified(kept):
    """The 304 the stack gives for the kept answer: its headers, without the body's."""
    response = HttpResponseNotModified()
    response.headers._store = {
        name: value for name, value in kept.headers._store.items() if name != "content-type"
    }
    response["Content-Length"] = "0"
    return response


def _keepable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "nonce-" not in response.get("Content-Security-Policy", "")
        and "*" not in response.get("Vary", "")
    )


def _varies(request, response) -> tuple:
    """The request headers the answer varies on, with this request's values."""
    names = cc_delim_re.split(response.get("Vary", "")) if response.has_header("Vary") else []
    return tuple(
        (name, request.META.get(name))
        for name in ("HTTP_" + n.strip().upper().replace("-", "_") for n in names if n.strip())
    )


def _snapshot(response):
    """A copy whose headers are its own: the middleware outside this one adds to each answer
    (X-Request-ID), and what is kept must not change with them."""
    answer = copy.copy(response)
    answer.headers = copy.copy(response.headers)
    answer.headers._store = dict(response.headers._store)
    answer.closed = False
    answer._resource_closers = []
    return answer
