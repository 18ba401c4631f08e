"""Surrogate-Key and Cache-Tag on every public answer, chosen by the address it answers."""

import re

from purges import surrogate_keys as sk

# The answers made from one live publication. Their ETag names it (publishing.page_cache and
# api.http make it of the publication's id and digest), so the keys cost no lookup of their own.
_PAGES = {
    "conditions:detail",
    "conditions:history",
    "api:condition-detail",
    "api:condition-history",
    "editorial:policy",
    "editorial:disclosures",
    "editorial:syndication",
    "translations:page",
}
# Answers derived from the set of live pages, with a key of their own.
_LISTINGS = {
    "home": "index",
    "conditions:index": "index",
    "translations:index": "index",
    "search": "search",
    "translations:search": "search",
    "sitemap": "sitemap",
    "feeds:reviewed": "feed",
    "api:condition-list": "api-list",
    "api:treatment-list": "api-list",
    "api:withdrawn-list": "api-list",
    "api:manifest": "manifest",
    "api:lookup": "api-list",
}
_STATIC = {"robots", "signing_keys"}
_HEX = re.compile(r"^[0-9a-f]{20,64}$")
_CACHED = {200, 203, 300, 301, 304, 308, 404, 410}


class SurrogateKeyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in ("GET", "HEAD") and response.status_code in _CACHED:
            for name, value in _headers(request, response):
                response[name] = value
        return response


def _headers(request, response) -> tuple:
    match = getattr(request, "resolver_match", None)
    etag = response.get("ETag") if match is not None and match.view_name in _PAGES else None
    if etag:
        return sk.headers_named_by(etag, lambda: _page_keys(response))
    keys = answer_keys(request, response)
    return tuple(sk.header_values(keys).items()) if keys else ()


def answer_keys(request, response) -> list[str]:
    """The keys of this answer, or [] for an answer no shared cache keeps (the admin)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return []
    name = match.view_name
    kwargs = match.kwargs
    if name in _PAGES:
        return _page_keys(response)
    if name in _LISTINGS:
        return sk.listing_keys(_LISTINGS[name])
    if name in ("treatments:detail", "api:treatment-detail"):
        return sk.listing_keys(sk.treatment_key(kwargs["slug"]))
    if name == "reviewers:detail":
        return sk.listing_keys(sk.reviewer_key(kwargs["slug"]))
    if name in _STATIC:
        return [sk.SITE]
    return []


def _page_keys(response) -> list[str]:
    named = publication_in_etag(response.get("ETag", ""))
    if named is None:
        # No live publication (a 404) or an answer this cannot name: purged with any change.
        return sk.listing_keys()
    return sk.keys_of(*named)


def publication_in_etag(etag: str) -> tuple[int, str] | None:
    """(publication id, digest prefix) from a page's or the API detail's ETag."""
    parts = etag.strip('W/"').split("-")
    digest = next((part for part in parts if _HEX.match(part)), None)
    number = next((part for part in parts if part.isdigit() and part != digest), None)
    if digest is None or number is None:
        return None
    return int(number), digest[:20]
