"""The digests of the workflow: sha256 over one canonical JSON serialization.

A physician signs the *source* of a page: the text as typed, its structured fields and the
fields of what it cites, never HTML a library rendered (see source_of). The stored document,
rendering included, has its own digest, which names a publication for caches and partners.
"""

import hashlib
import json


def canonical_json(document: dict) -> str:
    """The one serialization a digest is taken over: sorted keys, no insignificant space."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def document_digest(document: dict) -> str:
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def source_of(obj) -> dict:
    """What a physician signs of obj: its ``build_source()`` (a kind without a source of its
    own signs its document: publishing.protocol.PublishableModel)."""
    return obj.build_source()


def source_digest(obj) -> str:
    return document_digest(source_of(obj))
