"""The evidence member of the manifest and the detail: each live page's evidence status.

The status is the page's PageEvidence row (evidence.status writes it when anything changes):
joined into the manifest's one query by subqueries; added to a detail when it is served (the
JSON stored at publish cannot hold what changes after it), kept in the shared cache under the
evidence version, with the member's hash in the detail's ETag.
"""

import hashlib
import json

from django.db.models import CharField, DateField, JSONField, OuterRef, Subquery
from rest_framework import serializers

from evidence.models import PageEvidence
from evidence.status import CURRENT, STATUSES, version  # noqa: F401 - for the views
from publishing.page_cache import memory_pages
from reviews.models import Publication
from tovani import shared_cache

CACHE_SECONDS = 24 * 60 * 60

FIELDS = {
    "status": CharField(),
    "reasons": JSONField(),
    "reviewed_through": DateField(),
    "reviewed_through_source": CharField(),
}


def with_evidence(entries):
    """The manifest's entries (conditions.selectors.manifest_entries) with their evidence."""
    row = PageEvidence.objects.filter(
        content_type_id=OuterRef("publication__content_type_id"),
        object_id=OuterRef("publication__object_id"),
    )
    return entries.annotate(
        **{
            f"evidence_{name}": Subquery(row.values(name)[:1], output_field=field)
            for name, field in FIELDS.items()
        }
    )


def member(entry) -> dict:
    """An entry's evidence; a page the watch never wrote about is current."""
    return _member_of({f"evidence_{name}": getattr(entry, f"evidence_{name}") for name in FIELDS})


def detail_member(publication_id: int) -> bytes:
    """The evidence member of a live publication's detail, as JSON bytes."""
    key = f"evidence:detail:{publication_id}:{version()}"
    # Safe to keep without invalidation: the key names the evidence version.
    member = memory_pages.get(key)
    if member is None:
        member = shared_cache.get(key)
    if member is None:
        publication = Publication.objects.filter(pk=publication_id)
        row = (
            PageEvidence.objects.filter(
                content_type_id=Subquery(publication.values("content_type_id")[:1]),
                object_id=Subquery(publication.values("object_id")[:1]),
            )
            .values(*FIELDS)
            .first()
        )
        data = {f"evidence_{name}": value for name, value in (row or {}).items()}
        member = json.dumps(_member_of(data), default=str, separators=(",", ":")).encode()
        shared_cache.set(key, member, CACHE_SECONDS)
    memory_pages.set(key, member)
    return member


def with_member(body: bytes, member: bytes) -> bytes:
    """The stored detail (a JSON object) with the evidence member added at its end."""
    return body.rstrip()[:-1] + b',"evidence":' + member + b"}"


def etag(stored_etag: str, member: bytes) -> str:
    """The detail's ETag, changed whenever its evidence member is."""
    return f'{stored_etag[:-1]}-e{hashlib.sha256(member).hexdigest()[:12]}"'


def _member_of(data: dict) -> dict:
    return {
        "status": data.get("evidence_status") or CURRENT,
        "reasons": data.get("evidence_reasons") or [],
        "reviewed_through": data.get("evidence_reviewed_through"),
        "reviewed_through_source": data.get("evidence_reviewed_through_source") or "editor",
    }


class EvidenceSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=STATUSES,
        help_text="under_review while a review opened by the evidence watch is open (a cited "
        "study retracted or under an expression of concern, a practice-changing study).",
    )
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why, one a line.")
    reviewed_through = serializers.DateField(
        allow_null=True,
        help_text="The day up to which new studies were screened when the page was last signed.",
    )
    reviewed_through_source = serializers.ChoiceField(
        choices=["inbox", "editor"],
        help_text="inbox: computed from the page's saved search; editor: a month typed for a "
        "page without one.",
    )
