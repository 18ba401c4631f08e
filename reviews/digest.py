import hashlib
import json


def canonical_json(document: dict) -> str:
    """The one serialization a digest is taken over: sorted keys, no insignificant space."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def document_digest(document: dict) -> str:
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()
