"""What the evidence watch puts on each person's admin home.

A physician sees each page's unscreened inbox records and the open reviews the watch raised
(findings to act on or dismiss); an editor the corrections to check. A fixed number of queries.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from evidence.models import (
    EditorTask,
    Finding,
    FindingKind,
    InboxRecord,
    PageFlag,
    SavedSearch,
)
from references.models import Reference


@dataclass
class Panel:
    physician: bool = False
    editor: bool = False
    inboxes: list = field(default_factory=list)  # saved searches, with .unscreened
    flags: list = field(default_factory=list)
    tasks: list = field(default_factory=list)
    newer_versions: list = field(default_factory=list)  # findings of kind "updated"

    @property
    def shown(self) -> bool:
        return self.physician or self.editor


def panel(user) -> Panel:
    physician = getattr(user, "physician", None)
    box = Panel(
        physician=user.has_perm("reviews.sign_off_page") and physician is not None,
        editor=user.has_perm("conditions.change_condition"),
    )
    if box.physician:
        box.inboxes = list(
            SavedSearch.objects.select_related("condition")
            .annotate(unscreened=Count("records", filter=Q(records__decision=NEW)))
            .order_by("condition__title")
        )
        box.flags = [
            flag
            for flag in PageFlag.objects.select_related("finding__reference", "content_type")
            .filter(Q(finding__isnull=True) | Q(finding__dismissed_at__isnull=True))
            .order_by("-raised_at")[:50]
            if _still_open(flag)
        ]
    if box.physician or box.editor:
        box.newer_versions = list(newer_versions_to_offer())
    if box.editor:
        box.tasks = list(
            EditorTask.objects.filter(done_at__isnull=True).select_related("finding__reference")
        )
    return box


NEW = InboxRecord.Decision.NEW


def newer_versions_to_offer():
    """Newer versions of cited studies that the library does not hold yet."""
    held = Reference.objects.exclude(pmid="").values("pmid")
    return (
        Finding.objects.standing()
        .filter(kind=FindingKind.UPDATED)
        .exclude(notice_pmid="")
        .exclude(notice_pmid__in=held)
        .select_related("reference")
    )


def _still_open(flag) -> bool:
    from evidence.status import open_flags

    page = flag.content_object
    return page is not None and open_flags(page).filter(pk=flag.pk).exists()
