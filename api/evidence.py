"""The evidence member of the manifest: each live page's evidence status, read with the rest.

The status is the page's PageEvidence row (evidence.status writes it when anything changes),
joined into the manifest's one query by subqueries.
"""

from django.db.models import CharField, DateField, JSONField, OuterRef, Subquery
from rest_framework import serializers

from evidence.models import PageEvidence
from evidence.status import CURRENT, UNDER_REVIEW, version  # noqa: F401 - for the views

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
    return {
        "status": entry.evidence_status or CURRENT,
        "reasons": entry.evidence_reasons or [],
        "reviewed_through": entry.evidence_reviewed_through,
        "reviewed_through_source": entry.evidence_reviewed_through_source or "editor",
    }


class EvidenceSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[CURRENT, UNDER_REVIEW],
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
