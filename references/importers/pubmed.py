"""Import by PMID through NCBI E-utilities esummary (JSON), several PMIDs a request.

NCBI asks every program for its name and a contact address (the ``tool`` and ``email``
parameters, from the NCBI_TOOL and NCBI_EMAIL settings) and for at most 3 requests a second
without an API key (10 with NCBI_API_KEY). Requests go through one throttle per process.
"""

import html
import json
import logging
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from django.conf import settings

from references.errors import PubMedUnavailable
from references.importers.parsed import ParsedReference
from references.validators import PMID_RE

logger = logging.getLogger(__name__)

# The default address; requests go to esummary.fcgi under PUBMED_EUTILS_URL.
ESUMMARY_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esummary.fcgi"
# NCBI recommends at most 200 UIDs in one GET request.
BATCH_SIZE = 200
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class PubMedResult:
    found: list[ParsedReference] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


class Throttle:
    """Spaces calls at least 1/rate seconds apart, across the threads of one process."""

    def __init__(self, rate: float, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1.0 / rate
        self.clock, self.sleep = clock, sleep
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self):
        with self._lock:
            now = self.clock()
            if now < self._next:
                self.sleep(self._next - now)
                now = self._next
            self._next = now + self.interval


_throttles: dict[float, Throttle] = {}


def throttle() -> Throttle:
    rate = 10.0 if settings.NCBI_API_KEY else 3.0
    return _throttles.setdefault(rate, Throttle(rate))


def split_pmids(text: str) -> list[str]:
    """The PMIDs in what an editor typed: separated by spaces, commas or lines, each once."""
    pmids = []
    for token in re.split(r"[\s,;]+", text or ""):
        token = token.strip().removeprefix("PMID:").strip()
        if token and token not in pmids:
            pmids.append(token)
    return pmids


def invalid_pmids(pmids) -> list[str]:
    return [pmid for pmid in pmids if not PMID_RE.match(pmid)]


def fetch_pubmed(pmids: list[str]) -> PubMedResult:
    """What PubMed knows of these PMIDs. Raises PubMedUnavailable when it cannot be asked."""
    result = PubMedResult()
    for start in range(0, len(pmids), BATCH_SIZE):
        batch = pmids[start : start + BATCH_SIZE]
        found, missing = parse_esummary(_get_json(_esummary_url(batch)), batch)
        result.found += found
        result.missing += missing
    for number, reference in enumerate(result.found, start=1):
        reference.record = number
    return result


def parse_esummary(payload: dict, asked: list[str]) -> tuple[list[ParsedReference], list[str]]:
    """The references of an esummary JSON answer, in the order asked, and the PMIDs it lacks."""
    result = payload.get("result")
    if not isinstance(result, dict):
        # {"error": "API rate limit exceeded", ...}: a refusal, not an answer about the PMIDs.
        reason = payload.get("error") or "it held no summaries"
        raise PubMedUnavailable(f"PubMed did not answer ({reason}). Nothing was imported.")
    found, missing = [], []
    for pmid in asked:
        summary = result.get(pmid)
        if isinstance(summary, dict) and not summary.get("error") and summary.get("title"):
            found.append(_reference(summary))
        else:
            missing.append(pmid)
    return found, missing


def _reference(summary: dict) -> ParsedReference:
    ids = {item.get("idtype"): item.get("value", "") for item in summary.get("articleids", [])}
    types = summary.get("pubtype") or []
    return ParsedReference(
        authors=[
            author["name"]
            for author in summary.get("authors", [])
            if author.get("name")
            and author.get("authtype", "Author") in {"Author", "CollectiveName"}
        ],
        title=_text(summary.get("title")),
        journal=summary.get("source", ""),
        year=_year(summary),
        volume=summary.get("volume", ""),
        issue=summary.get("issue", ""),
        pages=summary.get("pages", ""),
        pmid=str(summary.get("uid", "")),
        doi=ids.get("doi", ""),
        pmcid=ids.get("pmc", ""),
        retraction_notice=(
            "PubMed lists this article as a retracted publication."
            if "Retracted Publication" in types
            else ""
        ),
    )


def _year(summary) -> int | None:
    for key in ("pubdate", "epubdate", "sortpubdate"):
        match = re.match(r"^\s*(\d{4})", summary.get(key) or "")
        if match:
            return int(match.group(1))
    return None


def _text(value) -> str:
    return html.unescape(_TAGS.sub("", value or ""))


def _esummary_url(pmids) -> str:
    params = {
        "db": "pubmed",
        "id": ",".join(pmids),
        "retmode": "json",
        "version": "2.0",
        "tool": settings.NCBI_TOOL,
        "email": settings.NCBI_EMAIL,
    }
    if settings.NCBI_API_KEY:
        params["api_key"] = settings.NCBI_API_KEY
    return f"{settings.PUBMED_EUTILS_URL.rstrip('/')}/esummary.fcgi?{urlencode(params)}"


def _get_json(url: str) -> dict:
    throttle().wait()
    # The URL is esummary.fcgi under the PUBMED_EUTILS_URL setting, with encoded parameters.
    request = Request(url, headers={"User-Agent": f"{settings.NCBI_TOOL} (references import)"})  # noqa: S310
    try:
        with urlopen(request, timeout=settings.NCBI_TIMEOUT) as response:  # noqa: S310
            body = response.read()
    except HTTPError as error:
        raise PubMedUnavailable(
            f"PubMed answered with HTTP {error.code} ({error.reason}). Nothing was imported; "
            "try again in a minute."
        ) from error
    except (URLError, OSError) as error:
        # The editor gets the plain fact; the technical reason is for the operator's log.
        logger.warning("PubMed could not be reached: %s", getattr(error, "reason", error))
        raise PubMedUnavailable(
            "PubMed could not be reached; nothing was imported. Try again later, or export "
            "the references from PubMed as a MEDLINE (.nbib) file and import that file."
        ) from error
    try:
        return json.loads(body)
    except ValueError as error:
        raise PubMedUnavailable(
            "PubMed's answer could not be read as JSON. Nothing was imported."
        ) from error
