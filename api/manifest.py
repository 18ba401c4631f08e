"""The manifest: every live page in one answer, sent as it is read.

The whole library is one answer, but no process holds it: the entries come from one query read
in batches (a server-side cursor on PostgreSQL), each entry is the JSON stored when its page was
published (api.representations.MANIFEST_ENTRY) with what may change after a publish added to
it (evidence, languages), and each batch is sent before the next is read. Memory stays at one
batch however large the library, and the first bytes leave before the last entry is read.

The ETag cannot be a hash of a body nobody holds: it is made of everything the body depends on
(the live pages' and the translations' stamps, the evidence version, the representation's
version and the site's origin), so it moves with any of them and a revalidation costs no read
of the entries.
"""

import hashlib
import json
from itertools import islice

from api import evidence
from api.http import streamed_json_answer
from api.representations import MANIFEST_ENTRY
from conditions import selectors
from conditions.models import Condition
from publishing import renderings
from publishing.pointers import library_stamp
from tovani.site_url import ORIGIN_PLACEHOLDER, site_origin
from translations import partners
from translations.models import Translation

# Entries read, made and sent at a time: the memory an answer holds.
BATCH = 500


def answer(request):
    """The manifest, streamed, or 304 when the partner's ETag is still the library's."""
    pages, translations = library_stamp(Condition), library_stamp(Translation)
    origin = site_origin(request)
    etag = _etag(origin, pages, translations, evidence.version())
    # An evidence change moves no date: only the ETag can say a partner's copy is current.
    request.META.pop("HTTP_IF_MODIFIED_SINCE", None)
    with_languages = translations.changes > 0
    return streamed_json_answer(
        request,
        etag=etag,
        last_modified=max(pages.changed_at, translations.changed_at),
        chunks=lambda: () if request.method == "HEAD" else chunks(origin, with_languages),
    )


def _etag(origin, *depends_on) -> str:
    parts = [origin, MANIFEST_ENTRY.version(), *map(str, depends_on)]
    return f'"manifest-{hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]}"'


def chunks(origin: str, with_languages: bool):
    """The manifest's bytes, a batch of entries at a time."""
    entries = evidence.with_evidence(selectors.manifest_entries(MANIFEST_ENTRY))
    rows = entries.iterator(chunk_size=BATCH)
    batch = list(islice(rows, BATCH))
    # Every row carries the count: the one query's, so it matches the entries that follow.
    yield b'{"count":%d,"results":[' % (batch[0].count if batch else 0)
    while batch:
        yield _batch(batch, origin, with_languages)
        batch = list(islice(rows, BATCH))
        if batch:
            yield b","
    yield b"]}"


def _batch(batch, origin: str, with_languages: bool) -> bytes:
    # No language members until a translation was ever published, as before there were any.
    languages = (
        partners.manifest_languages([entry.slug for entry in batch], origin)
        if with_languages
        else {}
    )
    stored = _stored(batch)
    made = ",".join(_entry(entry, stored, languages.get(entry.slug)) for entry in batch)
    return made.replace(ORIGIN_PLACEHOLDER, origin).encode()


def _entry(entry, stored: dict, languages: dict | None) -> str:
    members = {"evidence": evidence.member(entry), **(languages or {})}
    added = json.dumps(members, default=str, ensure_ascii=False, separators=(",", ":"))
    return stored[entry.publication_id][:-1] + "," + added[1:]


def _stored(batch) -> dict[int, str]:
    """{publication id: its stored manifest entry} for a batch; those not yet rendered under
    this version (the first manifest after a deploy that changed it) made in one go."""
    stored = {entry.publication_id: entry.stored for entry in batch if entry.stored is not None}
    missing = [entry.publication_id for entry in batch if entry.stored is None]
    if missing:
        stored |= renderings.stored_many(MANIFEST_ENTRY, selectors.manifest_publications(missing))
    return stored
