"""The site's Ed25519 signature on each publication, so anyone can verify a page.

At publish the workflow signs a canonical payload (slug, digest, the physician's signature line,
signed at, published at, key id) with the site's private key; the payload, the signature and the
key id are stored on the Publication. The public keys are served as a JWK set
(/.well-known/tovani-keys.json) from SigningKey rows, kept after rotation so old publications
still verify.

The private key is never stored in the database: a copy of the database (a backup, a replica,
a partner's export) must not be able to sign. It comes from SIGNING_KEY or SIGNING_KEY_FILE, and
is read at each signing, so a key file rotated by ``rotate_signing_key`` takes effect at once.
"""

import base64
import binascii
import hashlib
import json
from datetime import UTC
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

from reviews.digest import canonical_json
from reviews.errors import SigningKeyError
from reviews.models import SigningKey


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_x(private_key: Ed25519PrivateKey) -> str:
    """The JWK ``x`` of a private key's public half: its 32 raw bytes, base64url."""
    raw = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    return b64url(raw)


def key_id(x: str) -> str:
    """The RFC 7638 JWK thumbprint of the public key: stable, and derived from the key alone."""
    members = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"))
    return b64url(hashlib.sha256(members.encode("ascii")).digest())


def load_private_key(text: str, *, source: str) -> Ed25519PrivateKey:
    """A private key from PEM text or base64 of its 32 raw bytes; SigningKeyError names source."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError, binascii.Error) as error:
        raise SigningKeyError(f"{source} is not an Ed25519 private key ({error}).") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"{source} holds a {type(key).__name__}, not an Ed25519 key.")
    return key


def site_private_key() -> Ed25519PrivateKey:
    if settings.SIGNING_KEY:
        return load_private_key(settings.SIGNING_KEY, source="SIGNING_KEY")
    if settings.SIGNING_KEY_FILE:
        path = Path(settings.SIGNING_KEY_FILE)
        try:
            text = path.read_text(encoding="ascii")
        except OSError as error:
            raise SigningKeyError(f"SIGNING_KEY_FILE {path} cannot be read ({error}).") from None
        return load_private_key(text, source=f"SIGNING_KEY_FILE {path}")
    raise SigningKeyError(
        "No signing key: set SIGNING_KEY or SIGNING_KEY_FILE (`make run` writes a development one)."
    )


def pem(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def register(private_key: Ed25519PrivateKey) -> SigningKey:
    """The SigningKey row of a key's public half, created the first time the key is seen."""
    x = public_x(private_key)
    row, _ = SigningKey.objects.get_or_create(kid=key_id(x), defaults={"x": x})
    return row


def payload_text(*, slug, digest, signature, signed_at, published_at, key_id) -> str:
    """The exact string signed: canonical JSON, timestamps in UTC to the microsecond."""
    return canonical_json(
        {
            "key_id": key_id,
            "published_at": _utc(published_at),
            "signature": signature,
            "signed_at": _utc(signed_at),
            "slug": slug,
            "digest": digest,
        }
    )


def sign_publication_fields(*, slug, digest, sign_off, published_at) -> dict:
    """The payload, signature and key id to store on a publication about to be created."""
    private_key = site_private_key()
    kid = register(private_key).kid
    payload = payload_text(
        slug=slug,
        digest=digest,
        signature=sign_off.signature,
        signed_at=sign_off.signed_at,
        published_at=published_at,
        key_id=kid,
    )
    signature = b64url(private_key.sign(payload.encode("utf-8")))
    return {"payload": payload, "signature": signature, "key_id": kid}


def expected_payload(publication) -> str:
    """The payload the publication's own row calls for, to compare with the one stored."""
    return payload_text(
        slug=publication.slug,
        digest=publication.digest,
        signature=publication.sign_off.signature,
        signed_at=publication.sign_off.signed_at,
        published_at=publication.published_at,
        key_id=publication.key_id,
    )


# The form of a payload that covers a representation: it carries "version": 2 and the
# representation's digest. A payload without a version member is the first form, which names the
# publication's record only (slug, digest, signature line, dates, key id).
REPRESENTATION_PAYLOAD = 2


def representation_payload_text(publication, *, representation_digest, key_id) -> str:
    """The second form: the publication's record and the digest of what partners receive."""
    sign_off = publication.sign_off
    return canonical_json(
        {
            "version": REPRESENTATION_PAYLOAD,
            "key_id": key_id,
            "slug": publication.slug,
            "digest": publication.digest,
            "source_digest": publication.source_digest,
            "signature": sign_off.signature,
            "signed_at": _utc(sign_off.signed_at),
            "published_at": _utc(publication.published_at),
            "representation_digest": representation_digest,
        }
    )


def sign_representation(publication, representation_digest: str) -> dict:
    """A verification block over a publication and a representation of it, by the site's key
    (SigningKeyError when the key cannot be read)."""
    private_key = site_private_key()
    kid = register(private_key).kid
    payload = representation_payload_text(
        publication, representation_digest=representation_digest, key_id=kid
    )
    signature = b64url(private_key.sign(payload.encode("utf-8")))
    return {"payload": payload, "signature": signature, "key_id": kid}


def block_problems(block: dict, publication, public_keys: dict[str, str]) -> list[str]:
    """Why a verification block of either form does not hold for the publication."""
    x = public_keys.get(block.get("key_id"))
    if x is None:
        return [f"its key {block.get('key_id')} is not among the site's keys"]
    if not verifies(x, block["payload"], block["signature"]):
        return ["its signature does not verify over its payload"]
    payload = json.loads(block["payload"])
    if payload.get("version") != REPRESENTATION_PAYLOAD:
        expected = expected_payload(publication)
    else:
        expected = representation_payload_text(
            publication,
            representation_digest=payload.get("representation_digest"),
            key_id=block["key_id"],
        )
    if block["payload"] != expected:
        return ["its payload does not match the publication (slug, digest, sign-off, dates)"]
    return []


def verification_block(publication) -> dict:
    """What a partner needs to verify a page: {"payload", "signature", "key_id"}."""
    return {
        "payload": publication.payload,
        "signature": publication.signature,
        "key_id": publication.key_id,
    }


def signature_problems(publication, public_keys: dict[str, str]) -> list[str]:
    """Why the publication's signature does not hold (public_keys: kid → x); [] when it does."""
    if not publication.signature:
        return ["it is not signed"]
    x = public_keys.get(publication.key_id)
    if x is None:
        return [f"its key {publication.key_id} is not among the site's keys"]
    problems = []
    if not verifies(x, publication.payload, publication.signature):
        problems.append("its signature does not verify over its stored payload")
    if publication.payload != expected_payload(publication):
        problems.append("its stored payload does not match its row (slug, digest, sign-off, date)")
    return problems


def verifies(x: str, payload: str, signature: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(b64url_decode(x))
        key.verify(b64url_decode(signature), payload.encode("utf-8"))
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def jwk_set() -> dict:
    """Every key the site has signed with, newest first, as a JWK set."""
    return {"keys": [row.jwk for row in SigningKey.objects.order_by("-created_at", "-pk")]}


def _utc(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
