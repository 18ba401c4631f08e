"""What PubMed's and Crossref's answers mean for a cited reference, as findings to record.

Errata and expressions of concern are not retractions: each notice type maps to its own kind.
A retraction, an expression of concern, an erratum and a correction-and-republication are
recorded once per reference whichever source reports them first (PubMed names a notice by its
PMID, Crossref by its DOI, so the two would otherwise count one notice twice); a newer version
once per version.
"""

from dataclasses import dataclass
from datetime import date

from evidence.crossref import Update
from evidence.models import FindingKind
from evidence.pubmed import PubMedRecord

PUBMED_KINDS = {
    "RetractionIn": FindingKind.RETRACTION,
    "ExpressionOfConcernIn": FindingKind.EXPRESSION_OF_CONCERN,
    "ErratumIn": FindingKind.ERRATUM,
    "CorrectedandRepublishedIn": FindingKind.CORRECTED_REPUBLISHED,
    "UpdateIn": FindingKind.UPDATED,
}
CROSSREF_KINDS = {
    "retraction": FindingKind.RETRACTION,
    "withdrawal": FindingKind.RETRACTION,
    "removal": FindingKind.RETRACTION,
    "expression_of_concern": FindingKind.EXPRESSION_OF_CONCERN,
    "partial_retraction": FindingKind.EXPRESSION_OF_CONCERN,
    "correction": FindingKind.ERRATUM,
    "erratum": FindingKind.ERRATUM,
    "corrigendum": FindingKind.ERRATUM,
    "new_version": FindingKind.UPDATED,
    "new_edition": FindingKind.UPDATED,
}
NOTICE_NAMES = {
    "RetractionIn": "Retraction",
    "ExpressionOfConcernIn": "Expression of concern",
    "ErratumIn": "Erratum",
    "CorrectedandRepublishedIn": "Corrected and republished",
    "UpdateIn": "Updated",
}
ONCE_PER_REFERENCE = {
    FindingKind.RETRACTION,
    FindingKind.EXPRESSION_OF_CONCERN,
    FindingKind.ERRATUM,
    FindingKind.CORRECTED_REPUBLISHED,
}


@dataclass(frozen=True)
class Spec:
    kind: str
    source: str
    notice_pmid: str = ""
    notice_doi: str = ""
    notice_date: date | None = None
    description: str = ""

    @property
    def notice(self) -> str:
        """The key a finding is recorded once under."""
        if self.kind in ONCE_PER_REFERENCE:
            return self.kind
        return f"pmid:{self.notice_pmid}" if self.notice_pmid else f"doi:{self.notice_doi.lower()}"


def from_pubmed(record: PubMedRecord) -> list[Spec]:
    specs = [
        Spec(
            kind=PUBMED_KINDS[notice.ref_type],
            source="PubMed",
            notice_pmid=notice.pmid,
            description=f"{NOTICE_NAMES[notice.ref_type]} in PubMed: {notice.ref_source}".strip(
                ": "
            )
            + (f" (PMID {notice.pmid})" if notice.pmid else ""),
        )
        for notice in record.notices
    ]
    if record.retracted and not any(s.kind == FindingKind.RETRACTION for s in specs):
        specs.append(
            Spec(
                kind=FindingKind.RETRACTION,
                source="PubMed",
                description="PubMed lists it as a Retracted Publication.",
            )
        )
    return specs


def from_crossref(updates: list[Update]) -> list[Spec]:
    return [
        Spec(
            kind=CROSSREF_KINDS[update.kind],
            source=f"Crossref ({update.source}, {update.field})",
            notice_doi=update.doi,
            notice_date=update.updated,
            description=f"Crossref: {update.kind.replace('_', ' ')} doi:{update.doi}"
            + (f" of {update.updated:%B %-d, %Y}" if update.updated else ""),
        )
        for update in updates
        if update.kind in CROSSREF_KINDS
    ]
