"""Where a page's evidence stands, derived from the records: open reviews, and the date up to
which its inbox was cleared when it was signed ("evidence reviewed through").

A flag is open until a physician signs the page off after it was raised, or dismisses the
finding that raised it. For a page with a saved search, "evidence reviewed through" is the
last day of the newest search run whose records were all screened before the live version was
signed; for a page without one it is the month an editor typed (Condition's field).
"""

import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from evidence.models import InboxRecord, PageEvidence, PageFlag, SavedSearch
from publishing import notices
from reviews.models import SignOff
from tovani import shared_cache
from tovani.process_memory import ProcessMemory

CURRENT = "current"
UNDER_REVIEW = "under_review"
STATUSES = [CURRENT, UNDER_REVIEW]


@dataclass(frozen=True)
class EvidenceStatus:
    status: str
    reasons: list[str]
    reviewed_through: date | None
    computed: bool  # from the saved search's inbox, not typed

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "reasons": self.reasons,
            "reviewed_through": self.reviewed_through.isoformat()
            if self.reviewed_through
            else None,
            "reviewed_through_source": "inbox" if self.computed else "editor",
        }


def open_flags(page):
    """The page's flags still open: raised after its newest sign-off, finding not dismissed."""
    flags = PageFlag.objects.for_object(page).filter(
        Q(finding__isnull=True) | Q(finding__dismissed_at__isnull=True)
    )
    signed = SignOff.objects.for_object(page).latest_first().values_list("signed_at", flat=True)
    last_signed = signed.first()
    if last_signed is not None:
        flags = flags.filter(raised_at__gt=last_signed)
    return flags.select_related("finding__reference")


def public_notice(page) -> str:
    """What readers are told of an open review, by EVIDENCE_PUBLIC_NOTICE; "" for nothing."""
    if settings.EVIDENCE_PUBLIC_NOTICE != "retraction":
        return ""
    if open_flags(page).filter(reason=PageFlag.Reason.RETRACTION).exists():
        return "This page is being reviewed because a study it cites was retracted."
    return ""


def evidence_status(page, signed_at=None) -> EvidenceStatus:
    reasons = [f"{flag.get_reason_display()}: {flag.detail}" for flag in open_flags(page)]
    through, computed = reviewed_through(page, signed_at)
    return EvidenceStatus(UNDER_REVIEW if reasons else CURRENT, reasons, through, computed)


def reviewed_through(page, signed_at=None) -> tuple[date | None, bool]:
    """(date, computed): as of signed_at, by default the newest sign-off of the page."""
    is_condition = page._meta.label == "conditions.Condition"
    search = SavedSearch.objects.filter(condition_id=page.pk).first() if is_condition else None
    if search is None:
        return getattr(page, "evidence_reviewed_through", None), False
    if signed_at is None:
        signed_at = (
            SignOff.objects.for_object(page)
            .latest_first()
            .values_list("signed_at", flat=True)
            .first()
        )
    if signed_at is None:
        return None, True
    return cleared_through(search, signed_at), True


def cleared_through(search: SavedSearch, at) -> date | None:
    """The last day up to which every record the search found had been screened by `at`."""
    through = None
    for run in search.runs.filter(ran_at__lte=at).prefetch_related("records"):
        if any(not _screened_by(record, at) for record in run.records.all()):
            break
        through = run.through
    return through


def screening_counts(search: SavedSearch, after, until) -> tuple[int, int]:
    """(screened, practice-changing) between two sign-offs: what a review's history says."""
    decided = search.records.exclude(decision=InboxRecord.Decision.NEW).filter(
        decided_at__lte=until
    )
    if after is not None:
        decided = decided.filter(decided_at__gt=after)
    changing = decided.filter(decision=InboxRecord.Decision.PRACTICE_CHANGING)
    return decided.count(), changing.count()


def _screened_by(record: InboxRecord, at) -> bool:
    return record.decided_at is not None and record.decided_at <= at


def refresh(page) -> None:
    """Write the page's evidence row (what the API reads) and its notice to readers, and tell
    readers' caches they changed."""
    if page is None:
        return
    current = evidence_status(page)
    PageEvidence.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(page),
        object_id=page.pk,
        defaults={
            "status": current.status,
            "reasons": current.reasons,
            "reviewed_through": current.reviewed_through,
            "reviewed_through_source": "inbox" if current.computed else "editor",
        },
    )
    # Readers see it above the live page, with no new rendering (publishing.notices).
    notices.set_notice(page, public_notice(page))
    shared_cache.set(VERSION_KEY, secrets.token_hex(8), None)
    recent_version.clear()


VERSION_KEY = "evidence:version"


# Each process remembers the version as it remembers live pointers (PAGE_POINTER_SECONDS), so
# an API answer costs no round trip for it; the process that changed it forgets at once.
recent_version = ProcessMemory(limit=lambda: 1, seconds=lambda: settings.PAGE_POINTER_SECONDS)


def version() -> str:
    """Changes whenever a page's evidence row does: part of the keys of cached API answers."""
    known = recent_version.get(VERSION_KEY)
    if known is None:
        known = shared_cache.get(VERSION_KEY) or "unknown"
        recent_version.set(VERSION_KEY, known)
    return known
