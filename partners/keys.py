"""API keys: high-entropy random strings, stored only as a sha256 digest.

A key reads ``tvk_`` + a 12-character lookup prefix + a 43-character secret. The prefix finds
the partner with one indexed query; the digest of the whole key is then compared in constant
time. The key itself is shown once, when it is made, and never stored.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass

KEY_MARK = "tvk_"
PREFIX_LENGTH = 12
SECRET_BYTES = 32
KEY_LENGTH = len(KEY_MARK) + PREFIX_LENGTH + 43


@dataclass(frozen=True)
class NewKey:
    key: str
    prefix: str
    digest: str


def generate_key() -> NewKey:
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    key = f"{KEY_MARK}{prefix}{secrets.token_urlsafe(SECRET_BYTES)}"
    return NewKey(key=key, prefix=prefix, digest=key_digest(key))


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def prefix_of(key: str) -> str | None:
    """The lookup prefix of a well-formed key, or None."""
    if len(key) != KEY_LENGTH or not key.startswith(KEY_MARK):
        return None
    return key[len(KEY_MARK) : len(KEY_MARK) + PREFIX_LENGTH]


def key_matches(key: str, digest: str) -> bool:
    """Whether key hashes to digest, compared in constant time."""
    return hmac.compare_digest(key_digest(key), digest)
