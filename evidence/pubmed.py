"""PubMed through NCBI's E-utilities: efetch for what PubMed says of cited PMIDs, esearch for
records entered since a date.

NCBI asks for at most 200 ids a request, 3 requests a second (10 with NCBI_API_KEY) and each
program's name and contact (``tool``, ``email``). The throttle is the one the PubMed import by
PMID uses, so the two never add up past the limit in one process. The base address is
PUBMED_EUTILS_URL, as for that import.
"""

from dataclasses import dataclass, field
from datetime import date

from defusedxml import ElementTree
from django.conf import settings

from evidence import http
from references.importers.pubmed import BATCH_SIZE, throttle

# CommentsCorrections RefTypes that are notices about the citing record itself.
NOTICE_TYPES = (
    "RetractionIn",
    "ExpressionOfConcernIn",
    "ErratumIn",
    "CorrectedandRepublishedIn",
    "UpdateIn",
)
SEARCH_PAGE = 500


@dataclass
class Notice:
    ref_type: str  # one of NOTICE_TYPES
    pmid: str
    ref_source: str


@dataclass
class PubMedRecord:
    pmid: str
    title: str = ""
    journal: str = ""
    published: str = ""
    doi: str = ""
    publication_types: list[str] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    @property
    def retracted(self) -> bool:
        return "Retracted Publication" in self.publication_types


@dataclass
class Fetched:
    records: dict[str, PubMedRecord]
    calls: int


def efetch(pmids: list[str], on_batch=None) -> Fetched:
    """PubMed's records of the PMIDs, batch by batch; on_batch(batch_pmids, records) after each,
    so a caller can keep what a run has done before a later batch fails."""
    records, calls = {}, 0
    for start in range(0, len(pmids), BATCH_SIZE):
        batch = pmids[start : start + BATCH_SIZE]
        params = {"db": "pubmed", "id": ",".join(batch), "retmode": "xml", **_identity()}
        response = http.get("PubMed", _url("efetch.fcgi"), params, throttle())
        calls += 1
        found = parse_efetch(response.content)
        records.update(found)
        if on_batch is not None:
            on_batch(batch, found)
    return Fetched(records, calls)


def esearch(term: str, since: date, through: date) -> list[str]:
    """The PMIDs of records entered in PubMed (entry date) from since to through, inclusive."""
    pmids, start = [], 0
    while True:
        params = {
            "db": "pubmed",
            "term": term,
            "datetype": "edat",
            "mindate": f"{since:%Y/%m/%d}",
            "maxdate": f"{through:%Y/%m/%d}",
            "retmode": "json",
            "retmax": SEARCH_PAGE,
            "retstart": start,
            **_identity(),
        }
        answer = http.get("PubMed", _url("esearch.fcgi"), params, throttle()).json()
        result = answer.get("esearchresult") or {}
        page = [str(pmid) for pmid in result.get("idlist", [])]
        pmids += page
        start += len(page)
        if not page or start >= int(result.get("count", 0)):
            return pmids


def parse_efetch(xml: bytes) -> dict[str, PubMedRecord]:
    root = ElementTree.fromstring(xml)
    records = {}
    for article in root.iter("PubmedArticle"):
        record = _record(article)
        records[record.pmid] = record
    return records


def _record(article) -> PubMedRecord:
    citation = article.find("MedlineCitation")
    pmid = citation.findtext("PMID", "").strip()
    journal = citation.find("Article/Journal")
    return PubMedRecord(
        pmid=pmid,
        title=_text(citation.find("Article/ArticleTitle")),
        journal=(journal.findtext("ISOAbbreviation") or journal.findtext("Title") or "").strip()
        if journal is not None
        else "",
        published=_pub_date(journal),
        doi=_doi(article),
        publication_types=[
            (item.text or "").strip()
            for item in citation.iterfind("Article/PublicationTypeList/PublicationType")
        ],
        notices=[
            Notice(
                ref_type=item.get("RefType"),
                pmid=(item.findtext("PMID") or "").strip(),
                ref_source=(item.findtext("RefSource") or "").strip(),
            )
            for item in citation.iterfind("CommentsCorrectionsList/CommentsCorrections")
            if item.get("RefType") in NOTICE_TYPES
        ],
    )


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _pub_date(journal) -> str:
    if journal is None:
        return ""
    pub_date = journal.find("JournalIssue/PubDate")
    if pub_date is None:
        return ""
    parts = [pub_date.findtext(name, "") for name in ("Year", "Month", "Day")]
    return " ".join(part for part in parts if part) or pub_date.findtext("MedlineDate", "")


def _doi(article) -> str:
    for item in article.iterfind("PubmedData/ArticleIdList/ArticleId"):
        if item.get("IdType") == "doi":
            return (item.text or "").strip()
    return ""


def _identity() -> dict:
    params = {"tool": settings.NCBI_TOOL, "email": settings.EVIDENCE_CONTACT_EMAIL}
    if settings.NCBI_API_KEY:
        params["api_key"] = settings.NCBI_API_KEY
    return params


def _url(utility: str) -> str:
    return settings.PUBMED_EUTILS_URL.rstrip("/") + "/" + utility
