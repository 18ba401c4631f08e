"""What the API reads: live publications of condition pages, and what derives from them.

Nothing here reads a draft table. Every fact comes from a live publication's stored document,
its sign-off, or the workflow's records of publishing and unpublishing.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Max, Q
from django.db.models.fields.json import KT

from conditions.models import Condition
from reviews.history import publications_of, with_first_published
from reviews.models import LivePublication, Publication, ReviewEvent

NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def live_condition(slug) -> Publication:
    """The live publication at slug with its sign-off, its document not yet read.

    Raises Publication.DoesNotExist when no page is published there.
    """
    return (
        with_first_published(Publication.objects.live_of(Condition).stamped())
        .select_related("sign_off__physician")
        .get(live__slug=slug)
    )


def history(publication) -> list[Publication]:
    """Every publication of the page, newest first, with the sign-off of each."""
    return list(publications_of(publication))


def live_conditions():
    """Live condition publications with the parts of the document a list shows."""
    return (
        Publication.objects.live_of(Condition)
        .stamped()
        .annotate(
            codes=F("document__codes"),
            summary=KT("document__summary"),
            indication_status=KT("document__clinic_fit__status"),
            indication_label=KT("document__clinic_fit__status_label"),
        )
    )


def filter_conditions(publications, *, updated_since=None, code=None, q=None, status=None):
    """Narrow live publications by the API's filters; each one is a plain SQL condition."""
    if updated_since is not None:
        publications = publications.filter(published_at__gte=updated_since)
    if code:
        publications = publications.filter(document__codes_line__regex=code_pattern(code))
    if status:
        publications = publications.filter(document__clinic_fit__status=status)
    for word in (q or "").split():
        publications = publications.filter(
            Q(title__icontains=word)
            | Q(document__summary__icontains=word)
            | Q(document__codes_line__icontains=word)
            | Q(document__search_phrases__icontains=word)
        )
    return publications


def code_pattern(code: str) -> str:
    """A regular expression finding SYSTEM:CODE, exactly, in a document's codes line.

    The codes line reads "DSM-5 300.3 / ICD-11 6B20 (refractory)": codes are joined by " / "
    and a qualifier follows in brackets.
    """
    system, _, value = code.partition(":")
    return rf"(^| / ){re.escape(f'{system} {value.upper()}')}( \(| / |$)"


def library_changed_at(model=Condition) -> datetime:
    """When the set of live pages last changed: the latest publish or unpublish."""
    latest = ReviewEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        kind__in=[ReviewEvent.Kind.PUBLISHED, ReviewEvent.Kind.UNPUBLISHED],
    ).aggregate(at=Max("at"))["at"]
    return latest or NEVER


def live_treatments() -> list[dict]:
    """Treatments used by live pages, each with the live pages that use it, by name.

    Read from the live documents' treatment groups in one query; a treatment's name and kind
    are those of the most recently published page that uses it.
    """
    rows = (
        Publication.objects.live_of(Condition)
        .order_by("title", "pk")
        .values("slug", "title", "published_at", groups=F("document__treatment_groups"))
    )
    treatments = {}
    for row in rows:
        for group in row["groups"] or []:
            for entry in group["treatments"]:
                _add_use(treatments, row, entry)
    return sorted(treatments.values(), key=lambda t: (t["name"].lower(), t["slug"]))


def live_treatment(slug) -> dict | None:
    """One treatment of live_treatments(), or None when no live page uses it."""
    return next((t for t in live_treatments() if t["slug"] == slug), None)


def _add_use(treatments, row, entry):
    treatment = treatments.setdefault(
        entry["slug"], {"slug": entry["slug"], "conditions": [], "as_of": row["published_at"]}
    )
    if row["published_at"] >= treatment["as_of"]:
        treatment.update(name=entry["name"], kind=entry["kind"], as_of=row["published_at"])
    treatment["conditions"].append(
        {
            "slug": row["slug"],
            "title": row["title"],
            "line": entry["line"],
            "line_label": entry["line_label"],
            "description": {"html": entry["html"], "text": entry["text"]},
        }
    )


@dataclass(frozen=True)
class Withdrawal:
    slug: str
    title: str
    withdrawn_at: datetime
    reason: str  # "unpublished" or "moved"


def withdrawn_pages(model=Condition, since=None) -> list[Withdrawal]:
    """Addresses once published and not live now, with when and why they went, oldest first.

    Replays the page's history from the records: each publication puts a page at its slug
    (moving it away from an earlier slug), each unpublish takes it down. Three queries,
    reading no document.
    """
    content_type = ContentType.objects.get_for_model(model)
    live = set(
        LivePublication.objects.filter(content_type=content_type).values_list("slug", flat=True)
    )
    withdrawn = {}
    current = {}
    for at, object_id, slug, title in _history(content_type):
        previous = current.pop(object_id, None)
        if previous is not None and previous[0] != slug:
            reason = "moved" if slug else "unpublished"
            withdrawn[previous[0]] = Withdrawal(previous[0], previous[1], at, reason)
        if slug:
            current[object_id] = (slug, title)
    found = (w for w in withdrawn.values() if w.slug not in live)
    if since is not None:
        found = (w for w in found if w.withdrawn_at >= since)
    return sorted(found, key=lambda w: (w.withdrawn_at, w.slug))


def _history(content_type):
    """(moment, page id, slug, title) for each publication and, with no slug, each unpublish."""
    published = Publication.objects.filter(content_type=content_type).values_list(
        "published_at", "object_id", "slug", "title"
    )
    unpublished = ReviewEvent.objects.filter(
        content_type=content_type, kind=ReviewEvent.Kind.UNPUBLISHED
    ).values_list("at", "object_id")
    events = [*published, *((at, object_id, "", "") for at, object_id in unpublished)]
    return sorted(events, key=lambda event: event[0])
