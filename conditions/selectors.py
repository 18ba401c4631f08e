"""What is live, for every public reader: pages, listings, search, sitemap, feed and the API.

Every read of public content goes through here (or through publishing.pointers, for the one
lookup of a single address, re-exported below). Nothing here reads a draft table: the answers
come from the read model (conditions.read_model), written when pages are published, and from
the workflow's append-only records of publishing and unpublishing.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Window

from conditions.models import Condition, TreatmentKind
from conditions.read_model import CodeListing, SearchEntry, TreatmentListing
from publishing.models import PageRendering
from publishing.pointers import (  # noqa: F401 - the single-address lookups, read from here
    LibraryStamp,
    LivePointer,
    library_stamp,
    live_pointer_or_404,
    live_publication,
)
from publishing.renderings import Kind
from reviews.history import with_first_published
from reviews.models import LivePublication, Publication, ReviewEvent

# Words that make the site-wide regulatory notice apply to a treatment page.
_KETAMINE = ("ketamine",)
# What listings show of an entry; the search columns stay unread.
_LISTED = ("vector", "codes", "phrases", "questions", "treatment_names", "body")


def publication(pk) -> Publication:
    """A publication with its sign-off, to render it."""
    return Publication.objects.select_related("sign_off").get(pk=pk)


def live_entries():
    """The entries of every live condition page, without their search columns."""
    return SearchEntry.objects.live().defer(*_LISTED)


def live_counts_by_status() -> dict[str, int]:
    """How many live condition pages each clinic indication status has: one aggregate query."""
    rows = (
        SearchEntry.objects.live()
        .values("indication_status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {row["indication_status"]: row["count"] for row in rows}


@dataclass
class Treatment:
    """A treatment as the live pages present it, and the pages that do."""

    slug: str
    name: str
    kind: str
    summary: str
    listings: list = field(default_factory=list)
    regulatory_notice: str = ""

    @property
    def kind_label(self) -> str:
        return dict(TreatmentKind.choices).get(self.kind, "")

    @property
    def last_reviewed(self):
        return max(listing.entry.last_reviewed for listing in self.listings)


def treatments() -> list[Treatment]:
    """Every treatment a live page presents, by name; each with its listings, by page title."""
    found = {}
    for listing in _live_listings():
        found.setdefault(listing.treatment_slug, []).append(listing)
    made = [_treatment(slug, listings) for slug, listings in found.items()]
    return sorted(made, key=lambda t: (t.name.lower(), t.slug))


def treatment(slug) -> Treatment | None:
    """The treatment at slug as the live pages present it, or None when none does."""
    listings = list(_live_listings().filter(treatment_slug=slug))
    return _treatment(slug, listings) if listings else None


def _treatment(slug, listings) -> Treatment:
    """The one rule for a treatment's wording: its name, kind and summary are those of the
    most recently reviewed live page that presents it (the first by title on a tie)."""
    newest = max(listings, key=lambda listing: listing.entry.last_reviewed)
    found = Treatment(slug, newest.name, newest.kind, newest.summary, listings)
    text = f"{found.name} {found.summary}".lower()
    if any(word in text for word in _KETAMINE):
        found.regulatory_notice = settings.DEFAULT_REGULATORY_NOTICE
    return found


def _live_listings():
    return (
        TreatmentListing.objects.filter(entry__publication__live__isnull=False)
        .select_related("entry")
        .defer(*(f"entry__{name}" for name in _LISTED))
        .order_by("entry__title", "position")
    )


def api_entries(kind: Kind):
    """Live entries with their publication's date and stored rendering of kind (the API's JSON
    list entry): what a list of pages needs, in one query."""
    rendering = PageRendering.objects.filter(
        publication_id=OuterRef("publication_id"), template=kind.name, version=kind.version()
    ).values("html")[:1]
    return (
        SearchEntry.objects.live()
        .only("condition_id", "publication_id", "slug")
        .annotate(published_at=F("publication__published_at"), stored=Subquery(rendering))
    )


def manifest_entries(kind: Kind):
    """Every live condition page, by slug, with its stored manifest entry (rendering of kind)
    and how many there are (count, the same on every row), in one query reading no document:
    read as it streams, the answer is one snapshot of the library."""
    return api_entries(kind).annotate(count=Window(Count("pk"))).order_by("slug")


def manifest_publications(ids):
    """The publications whose manifest entries are to be made: what an entry says of each,
    their page's first publication included, in one query reading no document."""
    return with_first_published(
        Publication.objects.filter(pk__in=ids)
        .select_related("sign_off")
        .only(
            "slug",
            "title",
            "digest",
            "published_at",
            "content_type_id",
            "object_id",
            "sign_off__signed_at",
            "sign_off__signature",
        )
    )


def live_codes(systems, root: str):
    """The codes of live pages in systems under root (F42: F42, F42.2, F42.21), each with its
    page's entry, publication and sign-off: code lookup's candidates, in one indexed query."""
    sign_off = "entry__publication__sign_off"
    return (
        CodeListing.objects.filter(
            entry__publication__live__isnull=False, system__in=systems, root=root
        )
        .select_related(f"{sign_off}__physician")
        .only(
            "entry_id",
            "system",
            "code",
            "lookup_only",
            *(f"entry__{name}" for name in ("slug", "title", "summary", "publication")),
            "entry__publication__published_at",
            f"{sign_off}__signature",
            f"{sign_off}__signed_at",
            f"{sign_off}__physician__slug",
        )
        .order_by("entry__title", "position")
    )


def filter_entries(entries, *, updated_since=None, code=None, q=None, status=None):
    """Narrow live entries by the API's filters; each one is a plain SQL condition on text."""
    if updated_since is not None:
        entries = entries.filter(published_at__gte=updated_since)
    if code:
        entries = entries.filter(codes_line__regex=code_pattern(code))
    if status:
        entries = entries.filter(indication_status=status)
    for word in (q or "").split():
        entries = entries.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(codes_line__icontains=word)
            | Q(phrases__icontains=word)
        )
    return entries


def code_pattern(code: str) -> str:
    """A regular expression finding SYSTEM:CODE, exactly, in an entry's codes line.

    The codes line reads "DSM-5 300.3 / ICD-11 6B20 (refractory)": codes are joined by " / "
    and a qualifier follows in brackets.
    """
    system, _, value = code.partition(":")
    return rf"(^| / ){re.escape(f'{system} {value.upper()}')}( \(| / |$)"


@dataclass(frozen=True)
class Withdrawal:
    slug: str
    title: str
    withdrawn_at: datetime
    reason: str  # "unpublished" or "moved"
    moved_to: str | None = None  # where a moved page lives now, if it still does


def withdrawn_pages(model=Condition, since=None) -> list[Withdrawal]:
    """Addresses once published and not live now, with when and why they went, oldest first.

    Replays the page's history from the records: each publication puts a page at its slug
    (moving it away from an earlier slug), each unpublish takes it down. Three queries,
    reading no document.
    """
    content_type = ContentType.objects.get_for_model(model)
    live_at = dict(
        LivePublication.objects.filter(content_type=content_type).values_list("object_id", "slug")
    )
    live = set(live_at.values())
    withdrawn = {}
    current = {}
    for at, object_id, slug, title in _history(content_type):
        previous = current.pop(object_id, None)
        if previous is not None and previous[0] != slug:
            reason = "moved" if slug else "unpublished"
            moved_to = live_at.get(object_id) if slug else None
            withdrawn[previous[0]] = Withdrawal(previous[0], previous[1], at, reason, moved_to)
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


def document_entries(*, codes=None, page_ids=None):
    """Live condition pages as FHIR documents describe them (api.fhir), by title: each entry
    with its publication's record and sign-off (not its document), when the page was first
    published, and its codes. codes: [(page systems, code), …], pages with any of them."""
    first = (
        Publication.objects.filter(
            content_type_id=OuterRef("publication__content_type_id"),
            object_id=OuterRef("publication__object_id"),
        )
        .order_by("published_at", "pk")
        .values("published_at")[:1]
    )
    entries = (
        SearchEntry.objects.live()
        .select_related("publication__sign_off__physician")
        .defer(*_LISTED, "publication__document")
        .annotate(first_published=Subquery(first))
        .prefetch_related(
            Prefetch("codes_listed", queryset=CodeListing.objects.order_by("position"))
        )
        .order_by("title", "slug")
    )
    if page_ids is not None:
        entries = entries.filter(condition_id__in=page_ids)
    if codes is not None:
        wanted = Q(pk__in=[])
        for systems, code in codes:
            wanted |= Q(system__in=systems, code=code)
        matching = CodeListing.objects.filter(wanted).values("entry_id")
        entries = entries.filter(pk__in=matching)
    return entries


def earlier_publications(publication):
    """The publications of the same page before this one."""
    return Publication.objects.filter(
        content_type_id=publication.content_type_id,
        object_id=publication.object_id,
        published_at__lt=publication.published_at,
    )
