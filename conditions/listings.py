"""The library's listings, read from the search entries of live pages (never whole documents)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from conditions.models import (
    IndicationStatus,
    SearchEntry,
    TreatmentKind,
    TreatmentListing,
)

GROUP_HEADINGS = {
    IndicationStatus.ESTABLISHED: "Established indications at {clinic}",
    IndicationStatus.CASE_BY_CASE: "Considered case by case at {clinic}",
    IndicationStatus.NOT_INDICATED: "Not an indication at {clinic}",
}
# Words that make the site-wide regulatory notice apply to a treatment page.
_KETAMINE = ("ketamine",)


@dataclass
class Group:
    status: str
    heading: str
    entries: list = field(default_factory=list)

    @property
    def items(self) -> str:
        return entry_items(self.entries)


@dataclass
class TreatmentPage:
    slug: str
    name: str
    kind_label: str
    summary: str
    listings: list
    regulatory_notice: str = ""

    @property
    def last_reviewed(self):
        return max(listing.entry.last_reviewed for listing in self.listings)


def by_indication_status() -> list[Group]:
    """Live pages grouped by the clinic's indication status, established first, by title."""
    groups = {
        status: Group(status, heading.format(clinic=settings.CLINIC_NAME))
        for status, heading in GROUP_HEADINGS.items()
    }
    entries = (
        SearchEntry.objects.live()
        .defer("vector", "codes", "phrases", "questions", "treatment_names", "body")
        .annotate(reviewer_slug=F("publication__sign_off__physician__slug"))
    )
    for entry in entries.order_by("title"):
        groups[entry.indication_status].entries.append(entry)
    return [group for group in groups.values() if group.entries]


def reviewers(groups: list[Group]) -> list[tuple[str, str]]:
    """(signature, profile address) of each physician whose sign-off stamps a listed page."""
    signed = {
        entry.reviewed_by: reverse("reviewers:detail", args=[entry.reviewer_slug])
        for group in groups
        for entry in group.entries
    }
    return sorted(signed.items())


def treatment(slug) -> TreatmentPage | None:
    """The treatment as the live pages present it, or None if none does.

    Its name and summary are those of the most recently reviewed page that lists it.
    """
    listings = list(
        TreatmentListing.objects.filter(treatment_slug=slug, entry__publication__live__isnull=False)
        .select_related("entry")
        .defer(
            "entry__vector",
            "entry__codes",
            "entry__phrases",
            "entry__questions",
            "entry__treatment_names",
            "entry__body",
        )
        .order_by("entry__title", "position")
    )
    if not listings:
        return None
    newest = max(listings, key=lambda listing: listing.entry.last_reviewed)
    page = TreatmentPage(
        slug=slug,
        name=newest.name,
        kind_label=dict(TreatmentKind.choices).get(newest.kind, ""),
        summary=newest.summary,
        listings=listings,
    )
    text = f"{page.name} {page.summary}".lower()
    if any(word in text for word in _KETAMINE):
        page.regulatory_notice = settings.DEFAULT_REGULATORY_NOTICE
    return page


def entry_items(entries) -> str:
    """The <li> of each entry in a listing or search results, built without the template
    engine: a listing may hold every live page, and search builds one per request."""
    detail = reverse("conditions:detail", args=["-slug-"])
    return format_html_join(
        "\n",
        '<li>\n  <h3><a href="{}">{}</a></h3>\n{}  <p>{}</p>\n'
        '  <p class="meta">{} · Reviewed by {} on <time datetime="{}">{}</time></p>\n</li>',
        (
            (
                detail.replace("-slug-", entry.slug),
                entry.title,
                format_html('  <p class="codes">{}</p>\n', entry.codes_line)
                if entry.codes_line
                else "",
                entry.summary,
                entry.status_label,
                entry.reviewed_by,
                *_date(entry.last_reviewed),
            )
            for entry in entries
        ),
    )


def _date(moment) -> tuple[str, str]:
    day = timezone.localtime(moment).date()
    return day.isoformat(), f"{day:%B} {day.day}, {day.year}"
