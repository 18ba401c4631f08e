"""Why an import believes a file: the site signed what it exported, with a key trusted outside it.

At export the site signs a manifest of every row it wrote (model, id, a hash of the row) with
its Ed25519 key. At import the manifest's signature must verify against a key the operator
trusts without reading the file: the site's own (the key this installation signs with, and the
keys already in its database), or a JWK set named on the command line (``--trust-keys``, the
``/.well-known/tovani-keys.json`` of the site the backup came from). The file's rows must then be
exactly the rows the manifest lists: a row left out (a version, a review state, an event) is
missing history and is named; a row added (a superuser, a signing key) or changed is named too.

A signing key inside the file is never trusted for being there: it counts only because a trusted
key signed the manifest that lists it (the site's older keys, kept after a rotation).
"""

import hashlib
import json

from django.apps import apps

from backups.errors import BackupError
from reviews import signatures
from reviews.digest import canonical_json
from reviews.errors import SigningKeyError
from reviews.models import SigningKey

REFUSED = "The file was refused; nothing was imported."
SHOWN = 8  # ids named per model before “…”
# What a person calls the rows whose absence is missing history.
HISTORY = {
    "reversion.version": "versions",
    "reversion.revision": "revisions",
    "reviews.reviewstate": "review states",
    "reviews.reviewevent": "review events",
    "reviews.signoff": "sign-offs",
    "reviews.publication": "publications",
}


def row_key(obj: dict) -> str:
    """The row's name in the manifest: its id, or its natural key when it has no id (groups)."""
    if "pk" in obj:
        return str(obj["pk"])
    return "name:" + str(obj.get("fields", {}).get("name"))


def row_hash(obj: dict) -> str:
    return hashlib.sha256(canonical_json(obj).encode("utf-8")).hexdigest()[:32]


def manifest_of(objects: list[dict]) -> dict:
    """{model: {row key: row hash}} of objects as they read back from the file's JSON."""
    rows: dict[str, dict[str, str]] = {}
    for obj in objects:
        rows.setdefault(obj["model"], {})[row_key(obj)] = row_hash(obj)
    return rows


def sign_manifest(objects: list[dict], exported_at: str) -> dict:
    """The manifest and the site's signature over it, for the file's "manifest" member."""
    try:
        private_key = signatures.site_private_key()
    except SigningKeyError as error:
        raise BackupError(f"The export must be signed by the site: {error}") from error
    kid = signatures.register(private_key).kid
    body = {"key_id": kid, "exported_at": exported_at, "rows": manifest_of(objects)}
    signed = signatures.b64url(private_key.sign(canonical_json(body).encode("utf-8")))
    return {**body, "signature": signed}


def site_keys() -> dict[str, str]:
    """kid → x of the keys this site trusts by itself: its signing key and those on record."""
    keys = dict(SigningKey.objects.values_list("kid", "x"))
    try:
        x = signatures.public_x(signatures.site_private_key())
    except SigningKeyError:
        return keys  # a site without its key yet trusts only what it has on record
    keys[signatures.key_id(x)] = x
    return keys


def read_jwk_set(text: str, source: str) -> dict[str, str]:
    """kid → x of the Ed25519 keys of a JWK set; the kid is computed, never taken from the file."""
    try:
        data = json.loads(text)
        keys = data["keys"]
        found = {
            signatures.key_id(key["x"]): key["x"]
            for key in keys
            if key.get("kty") == "OKP" and key.get("crv") == "Ed25519"
        }
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise BackupError(f"{source} is not a JWK set ({error}).") from error
    if not found:
        raise BackupError(f"{source} holds no Ed25519 key.")
    return found


def check_signed(manifest, objects: list[dict], trusted: dict[str, str]) -> dict[str, str]:
    """Raise BackupError unless a trusted key signed the manifest and the file holds exactly its
    rows; returns the signing keys the file may restore (kid → x)."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("rows"), dict):
        raise BackupError(f"The file carries no signed list of its rows. {REFUSED}")
    kid = manifest.get("key_id")
    x = trusted.get(kid) if isinstance(kid, str) else None
    if x is None:
        raise BackupError(
            f"The file is signed with key {kid!r}, which this site does not trust: it was made "
            "by another site or re-signed. If it is a backup of yours, pass --trust-keys with "
            f"the key set that site published (/.well-known/tovani-keys.json). {REFUSED}"
        )
    body = {key: value for key, value in manifest.items() if key != "signature"}
    if not signatures.verifies(x, canonical_json(body), str(manifest.get("signature", ""))):
        raise BackupError(f"The file's list of rows does not verify under key {kid}. {REFUSED}")
    _check_rows(manifest["rows"], objects)
    restorable = dict(trusted)
    for obj in objects:
        if obj["model"] == "reviews.signingkey":
            fields = obj["fields"]
            restorable[signatures.key_id(fields["x"])] = fields["x"]
    return restorable


def _check_rows(signed: dict, objects: list[dict]) -> None:
    held = manifest_of(objects)
    for number, obj in enumerate(objects, start=1):
        expected = signed.get(obj["model"], {}).get(row_key(obj))
        if expected is not None and expected != row_hash(obj):
            raise BackupError(
                f"Object {number}, {_described(obj)}: it differs from what the site exported. "
                + REFUSED
            )
    missing = _difference(signed, held)
    if missing:
        raise BackupError(
            f"The file lacks what the site exported: {'; '.join(missing)}. History cannot be "
            f"restored in part. {REFUSED}"
        )
    added = [_described(obj) for obj in objects if row_key(obj) not in signed.get(obj["model"], {})]
    if added:
        shown = ", ".join(added[:SHOWN]) + (", …" if len(added) > SHOWN else "")
        raise BackupError(f"The file holds rows the site did not export: {shown}. {REFUSED}")


def _difference(first: dict, second: dict) -> list[str]:
    """“3 of 9 versions (ids 3, 6, 9)” for every model with rows in first and not in second."""
    said = []
    for model, rows in sorted(first.items()):
        gone = [key for key in rows if key not in second.get(model, {})]
        if not gone:
            continue
        name = HISTORY.get(model, model)
        shown = ", ".join(gone[:SHOWN]) + (", …" if len(gone) > SHOWN else "")
        whole = "every one of the" if len(gone) == len(rows) else f"{len(gone)} of the"
        said.append(f"{whole} {len(rows)} {name} (ids {shown})")
    return said


def _described(obj: dict) -> str:
    """“sign-off 3”, “user 7 (mallory)”: the row as a person finds it in the admin."""
    fields = obj.get("fields", {})
    name = fields.get("username") or fields.get("slug") or fields.get("title") or ""
    try:
        kind = apps.get_model(obj["model"])._meta.verbose_name
    except (LookupError, ValueError):
        kind = obj["model"]
    return f"{kind} {row_key(obj)}" + (f" ({name})" if name else "")
