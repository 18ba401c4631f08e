"""The library's listings, built from the live entries the selectors give (never documents)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Case, F, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from conditions import selectors
from conditions.models import IndicationStatus

GROUP_HEADINGS = {
    IndicationStatus.ESTABLISHED: "Established indications at {clinic}",
    IndicationStatus.CASE_BY_CASE: "Considered case by case at {clinic}",
    IndicationStatus.NOT_INDICATED: "Not an indication at {clinic}",
}


@dataclass
class Group:
    status: str
    heading: str
    entries: list = field(default_factory=list)

    @property
    def items(self) -> str:
        return entry_items(self.entries)


def _headings() -> dict[str, str]:
    return {
        status: heading.format(clinic=settings.CLINIC_NAME)
        for status, heading in GROUP_HEADINGS.items()
    }


@dataclass(frozen=True)
class GroupTotal:
    """A whole group of the index: how many pages it holds and where it starts."""

    status: str
    heading: str
    total: int
    first_page: int


@dataclass(frozen=True)
class IndexPage:
    """One page of the index: at most INDEX_PAGE_SIZE entries, in the groups' order, so its
    bytes stay bounded however large the library grows."""

    number: int
    pages: int
    groups: list[Group]  # the entries of each group on this page
    totals: list[GroupTotal]
    continued: set[str]  # groups begun on an earlier page

    @property
    def numbers(self) -> range:
        return range(1, self.pages + 1)


def index_page(number: int, size: int) -> IndexPage | None:
    """The index's page number (from 1) of size entries; None past its last page.

    The groups' sizes come from one count per status and only the page's own entries are
    read, so building a page costs the same however large the library grows."""
    headings = _headings()
    counts = selectors.live_counts_by_status()
    totals, position = [], 0
    for status, heading in headings.items():
        if counts.get(status):
            totals.append(GroupTotal(status, heading, counts[status], 1 + position // size))
            position += counts[status]
    pages = max(1, -(-position // size))
    if not 1 <= number <= pages:
        return None
    shown: dict[str, Group] = {}
    for entry in _in_index_order(headings)[(number - 1) * size : number * size]:
        status = entry.indication_status
        shown.setdefault(status, Group(status, headings[status])).entries.append(entry)
    continued = {t.status for t in totals if t.status in shown and t.first_page < number}
    return IndexPage(number, pages, list(shown.values()), totals, continued)


def _in_index_order(headings):
    """Live entries as the index lists them: by group (established first), then by title."""
    rank = Case(
        *(When(indication_status=status, then=n) for n, status in enumerate(headings)),
        default=len(headings),
    )
    return (
        selectors.live_entries()
        .annotate(reviewer_slug=F("publication__sign_off__physician__slug"), group_rank=rank)
        .order_by("group_rank", "title", "pk")
    )


def reviewers(groups: list[Group]) -> list[tuple[str, str]]:
    """(signature, profile address) of each physician whose sign-off stamps a listed page."""
    signed = {
        entry.reviewed_by: reverse("reviewers:detail", args=[entry.reviewer_slug])
        for group in groups
        for entry in group.entries
    }
    return sorted(signed.items())


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
