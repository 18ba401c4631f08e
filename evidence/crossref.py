"""Crossref's REST API: the updates a DOI's record announces.

Two fields say a work was retracted or corrected, and checking one misses the other:
``updated-by`` lists the notices that update this work (publishers' Crossmark deposits and, since
2023, the Retraction Watch database, with ``source: "retraction-watch"``); ``update-to`` is how a
publisher marks a work that updates a DOI, and one that retracts or corrects an article under
the article's own DOI (a "retract and replace") names that DOI itself there. Each request
carries ``mailto`` (EVIDENCE_CONTACT_EMAIL), which Crossref answers from its polite pool.
"""

import threading
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from django.conf import settings

from evidence import http
from references.importers.pubmed import Throttle


@dataclass(frozen=True)
class Update:
    kind: str  # Crossref's update type: retraction, expression_of_concern, correction, …
    doi: str  # the notice's DOI
    source: str  # "publisher", "retraction-watch"
    field: str  # "updated-by" or "update-to"
    updated: date | None


_throttles: dict[int, Throttle] = {}
_lock = threading.Lock()


def throttle() -> Throttle:
    rate = max(1, settings.CROSSREF_REQUESTS_PER_SECOND)
    with _lock:
        return _throttles.setdefault(rate, Throttle(rate))


def updates(doi: str) -> list[Update] | None:
    """The updates Crossref records for the DOI, or None when Crossref does not know it."""
    params = {"mailto": settings.EVIDENCE_CONTACT_EMAIL} if settings.EVIDENCE_CONTACT_EMAIL else {}
    url = settings.CROSSREF_API_URL.rstrip("/") + "/works/" + quote(doi, safe="/")
    response = http.get("Crossref", url, params, throttle(), missing_ok=True)
    if response is None:
        return None
    return parse_work(response.json().get("message") or {})


def parse_work(message: dict) -> list[Update]:
    own = (message.get("DOI") or "").lower()
    found = [_update(item, "updated-by") for item in message.get("updated-by") or []]
    found += [
        _update(item, "update-to")
        for item in message.get("update-to") or []
        if (item.get("DOI") or "").lower() == own
    ]
    return found


def _update(item: dict, field: str) -> Update:
    return Update(
        kind=(item.get("type") or "").lower().replace("-", "_"),
        doi=item.get("DOI") or "",
        source=item.get("source") or "publisher",
        field=field,
        updated=_date(item.get("updated") or {}),
    )


def _date(value: dict) -> date | None:
    parts = (value.get("date-parts") or [[]])[0]
    if not parts:
        return None
    year, month, day = (list(parts) + [1, 1])[:3]
    return date(int(year), int(month or 1), int(day or 1))
