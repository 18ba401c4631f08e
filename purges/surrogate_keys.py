"""The surrogate keys every public answer carries, so an edge cache can drop exactly the answers
a change makes wrong.

A page's answers (its HTML, its history, its API JSON) carry the keys of its publication: the
page, the publication, each reference it cites, its reviewer, its treatments and its language.
Listings (the index, treatment and reviewer pages, search, the sitemap, the feed, the API's
lists and manifest) carry ``listings`` and a key of their own; every publish and withdrawal
purges ``listings``. Every answer also carries ``site``, to empty a cache at once.

Keys are sent as ``Surrogate-Key`` (Fastly, Varnish with xkey) and ``Cache-Tag`` (Cloudflare):
the same words, space-separated in the first, comma-separated in the second.
"""

import re

from django.db import transaction

from tovani import shared_cache
from tovani.process_memory import ProcessMemory

SITE = "site"
LISTINGS = "listings"
CACHE_SECONDS = 24 * 60 * 60
_UNSAFE = re.compile(r"[^A-Za-z0-9_.:-]+")

# A publication never changes, so neither do its keys: kept by id and digest, never invalidated.
_known = ProcessMemory(limit=lambda: 20_000)
_headers_by_etag = ProcessMemory(limit=lambda: 20_000)


def key(kind: str, value) -> str:
    """One key, made of characters every cache accepts in a tag."""
    return f"{kind}-{_UNSAFE.sub('_', str(value))}"


def page_key(model_name: str, object_id) -> str:
    return key(model_name, object_id)


def reference_key(citekey: str) -> str:
    return key("ref", citekey)


def reviewer_key(slug: str) -> str:
    return key("reviewer", slug)


def treatment_key(slug: str) -> str:
    return key("treatment", slug)


def publication_keys(publication) -> list[str]:
    """Every key of the answers made from publication, read from its document and sign-off."""
    document = publication.document
    model_name = publication.content_type.model
    keys = [
        SITE,
        page_key(model_name, publication.object_id),
        key("publication", publication.pk),
        key("lang", document.get("language", "en")),
        reviewer_key(publication.sign_off.physician.slug),
    ]
    keys += [reference_key(entry["citekey"]) for entry in document.get("references", [])]
    keys += [
        treatment_key(item["slug"])
        for group in document.get("treatment_groups", [])
        for item in group["treatments"]
    ]
    return list(dict.fromkeys(keys))


def remember(publication, keys: list[str]) -> None:
    """Keep the keys of a publication going live, for this process and (once it commits) all."""
    _known.set((publication.pk, publication.digest[:20]), keys)
    cache_key = _cache_key(publication.pk, publication.digest)
    transaction.on_commit(lambda: shared_cache.set(cache_key, keys, CACHE_SECONDS))


def keys_of(publication_id: int, digest: str) -> list[str]:
    """The keys of a live publication's answers: from memory, the shared cache, or one query."""
    digest = digest[:20]
    found = _known.get((publication_id, digest))
    if found is None:
        found = shared_cache.get(_cache_key(publication_id, digest))
        if found is None:
            found = _stored_keys(publication_id)
            shared_cache.set(_cache_key(publication_id, digest), found, CACHE_SECONDS)
        _known.set((publication_id, digest), found)
    return found


def listing_keys(*own: str) -> list[str]:
    return [SITE, LISTINGS, *own]


def header_values(keys: list[str]) -> dict[str, str]:
    """The response headers naming keys."""
    return {"Surrogate-Key": " ".join(keys), "Cache-Tag": ",".join(keys)}


def headers_named_by(etag: str, keys) -> tuple:
    """The headers of an answer whose ETag names its publication; keys() only the first time.

    A page read often joins its keys once: a publication's keys never change.
    """
    found = _headers_by_etag.get(etag)
    if found is None:
        found = tuple(header_values(keys()).items())
        _headers_by_etag.set(etag, found)
    return found


def _stored_keys(publication_id: int) -> list[str]:
    from purges.models import SurrogateKeySet
    from reviews.models import Publication

    row = SurrogateKeySet.objects.filter(publication_id=publication_id).first()
    if row is not None:
        return row.key_list
    # Published before keys were stored: read them from the publication itself.
    publication = Publication.objects.select_related("sign_off__physician", "content_type").get(
        pk=publication_id
    )
    return publication_keys(publication)


def _cache_key(publication_id: int, digest: str) -> str:
    return f"surrogate-keys:{publication_id}:{digest[:20]}"


def forget() -> None:
    """Empty this process's memory of keys (tests)."""
    _known.clear()
    _headers_by_etag.clear()
