"""Verify a page's API detail as stored: python verify_detail.py KEYS_URL DETAIL_FILE

Needs PyNaCl (Ed25519) and rfc8785 (JSON Canonicalization Scheme). Exits non-zero, saying why,
when the detail is not exactly what the site signed.
"""

import base64
import datetime
import hashlib
import json
import sys
import urllib.request

import rfc8785
from nacl.signing import VerifyKey


def b64url(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def moment(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


keys_url, detail_file = sys.argv[1:3]
keys = json.load(urllib.request.urlopen(keys_url))["keys"]
with open(detail_file, encoding="utf-8") as stored:
    detail = json.load(stored)
block = detail["verification"]
jwk = next(key for key in keys if key["kid"] == block["key_id"])
VerifyKey(b64url(jwk["x"])).verify(block["payload"].encode(), b64url(block["signature"]))
signed = json.loads(block["payload"])
review = detail["review"]
checks = [
    ("slug", signed["slug"], detail["slug"]),
    ("digest", signed["digest"], detail["digest"]),
    ("signature", signed["signature"], review["physician"]["signature"]),
    ("signed_at", moment(signed["signed_at"]), moment(review["reviewed_at"])),
    ("published_at", moment(signed["published_at"]), moment(detail["published_at"])),
]
if signed.get("version") == 2:
    unsigned = ("verification", "evidence")  # the evidence status changes after signing
    body = {name: value for name, value in detail.items() if name not in unsigned}
    digest = hashlib.sha256(rfc8785.dumps(body)).hexdigest()
    checks.append(("representation_digest", signed["representation_digest"], digest))
for name, expected, found in checks:
    if expected != found:
        sys.exit(f"not verified: {name} differs from what the site signed")
print(f"verified: {detail['slug']} (payload version {signed.get('version', 1)})")
