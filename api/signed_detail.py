"""The API detail signed as partners receive it (RFC 8785, sha256, Ed25519).

representation_digest is the sha256, hex, of the RFC 8785 (JSON Canonicalization Scheme)
serialization of a detail without its ``verification`` and ``evidence`` members: the very JSON a
partner stores and displays, its text, review block, next_review_due and regulatory notice
included (the evidence status changes after signing). The detail is signed when it is rendered
(at publish, and again when a release changes its shape), with the addresses it is served with:
SITE_URL's, which production requires. Its verification block then holds a payload of the second
form (reviews.signatures.REPRESENTATION_PAYLOAD).

A server that cannot read the signing key (a replica, a restored copy) still answers: the block
is then the publication's own, of the first form, which covers the record but not the text."""

import hashlib
import json
import logging

import rfc8785
from django.conf import settings
from rest_framework.renderers import JSONRenderer

from api.serializers import ConditionDetailSerializer
from reviews import signatures
from reviews.errors import SigningKeyError
from reviews.models import SigningKey
from tovani.site_url import ORIGIN_PLACEHOLDER, site_origin

log = logging.getLogger(__name__)

UNSIGNED_MEMBER = "verification"
# The evidence watch's status changes after a page is signed (a cited study retracted later), so
# it is served beside the signed detail and left out of representation_digest, as the
# verification block is.
UNCOVERED_MEMBERS = (UNSIGNED_MEMBER, "evidence")


def representation_digest(detail: dict) -> str:
    """sha256 hex of the RFC 8785 form of the detail without its verification and evidence
    members."""
    covered = {name: value for name, value in detail.items() if name not in UNCOVERED_MEMBERS}
    return hashlib.sha256(rfc8785.dumps(covered)).hexdigest()


def served_origin() -> str:
    """The origin the detail's addresses are signed with: SITE_URL, else the request's."""
    return settings.SITE_URL or site_origin()


def as_served(text: str, origin: str) -> dict:
    """A stored rendering as a partner receives it from origin."""
    return json.loads(text.replace(ORIGIN_PLACEHOLDER, origin))


def render(build):
    """A rendering function for renderings.Kind: the detail's JSON, signed as served."""

    def render_detail(publication) -> str:
        data = dict(ConditionDetailSerializer(build(publication)).data)
        unsigned = JSONRenderer().render(data).decode()
        digest = representation_digest(as_served(unsigned, served_origin()))
        data[UNSIGNED_MEMBER] = block_for(publication, digest)
        return JSONRenderer().render(data).decode()

    return render_detail


def detail_problems(detail_kind) -> list[str]:
    """Each live page's stored detail whose signature, payload or representation digest does
    not hold, one sentence each (a detail not yet rendered under this version is made, and
    signed, on first use, so there is nothing to check)."""
    from publishing.models import PageRendering

    keys = dict(SigningKey.objects.values_list("kid", "x"))
    rows = PageRendering.objects.filter(
        publication__live__isnull=False, template=detail_kind.name, version=detail_kind.version()
    ).select_related("publication__sign_off")
    problems = []
    for row in rows:
        publication = row.publication
        name = f"The API detail of publication {publication.pk} ({publication.slug})"
        problems += [f"{name}: {why}." for why in _problems(row.html, publication, keys)]
    return problems


def _problems(text: str, publication, keys: dict) -> list[str]:
    detail = as_served(text, served_origin())
    block = detail[UNSIGNED_MEMBER]
    problems = signatures.block_problems(block, publication, keys)
    signed = json.loads(block["payload"])
    if signed.get("version") != signatures.REPRESENTATION_PAYLOAD:
        return problems
    if signed["representation_digest"] != representation_digest(detail):
        problems.append(
            "its representation_digest is not the digest of the detail as served: the stored "
            "JSON was changed after it was signed"
        )
    return problems


def block_for(publication, digest: str) -> dict:
    try:
        return signatures.sign_representation(publication, digest)
    except SigningKeyError as error:
        log.warning(
            "The API detail of publication %s carries only its record's signature: %s",
            publication.pk,
            error,
        )
        return signatures.verification_block(publication)
