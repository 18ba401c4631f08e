"""What the evidence watch knows: its runs, what it found, and each page's evidence inbox.

A Finding is a fact about one reference (retracted, an expression of concern, corrected, a newer
version), recorded once per source notice whatever the number of runs that see it. A PageFlag
opens an unscheduled review of one live page; it stays open until a physician signs the page
off again, or dismisses the finding that raised it. Both are derived from records, never typed.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from references.models import Reference


class WatchRun(models.Model):
    """One pass over every cited reference. A run that stopped is resumed by the next pass:
    the references it already checked are not asked again."""

    class Status(models.TextChoices):
        RUNNING = "running", "running"
        STOPPED = "stopped", "stopped (resumed by the next run)"
        DONE = "done", "done"

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    problem = models.TextField(blank=True, help_text="Why the run stopped.")
    references = models.PositiveIntegerField("references to check", default=0)
    efetch_calls = models.PositiveIntegerField(default=0)
    crossref_calls = models.PositiveIntegerField(default=0)
    findings = models.PositiveIntegerField("new findings", default=0)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"Evidence watch of {self.started_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"


class ReferenceCheck(models.Model):
    """Which run last asked PubMed and Crossref about a reference: what a resumed run skips."""

    reference = models.OneToOneField(
        Reference, on_delete=models.CASCADE, related_name="evidence_check"
    )
    pubmed_run = models.ForeignKey(
        WatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    crossref_run = models.ForeignKey(
        WatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.reference.citekey} checked {self.checked_at}"


class FindingKind(models.TextChoices):
    RETRACTION = "retraction", "Retracted"
    EXPRESSION_OF_CONCERN = "expression_of_concern", "Expression of concern"
    ERRATUM = "erratum", "Erratum"
    CORRECTED_REPUBLISHED = "corrected_republished", "Corrected and republished"
    UPDATED = "updated", "A newer version exists"


class FindingQuerySet(models.QuerySet):
    def standing(self):
        """Not dismissed by a physician."""
        return self.filter(dismissed_at__isnull=True)


class Finding(models.Model):
    Kind = FindingKind

    class Severity(models.TextChoices):
        # Ordered from the most to the least urgent; the inbox lists them in this order.
        HIGH = "high", "high: the page is flagged, its people told"
        MEDIUM = "medium", "medium: a review is opened"
        LOW = "low", "low: an editor checks"
        INFO = "info", "information: a replacement is offered"

    reference = models.ForeignKey(Reference, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=24, choices=FindingKind.choices)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    source = models.CharField(
        max_length=40, help_text="Where it was found: “PubMed”, “Crossref (retraction-watch)”."
    )
    notice = models.CharField(
        max_length=255,
        help_text="The notice's identifier (PMID or DOI of the retraction, erratum or new "
        "version): a finding is recorded once per notice.",
    )
    notice_pmid = models.CharField("notice PMID", max_length=9, blank=True)
    notice_doi = models.CharField("notice DOI", max_length=255, blank=True)
    notice_date = models.DateField(null=True, blank=True)
    description = models.TextField(help_text="The notice as the source gives it.")
    found_at = models.DateTimeField()
    run = models.ForeignKey(
        WatchRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dismissal_reason = models.TextField(blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["-found_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reference", "kind", "notice"], name="one_finding_per_notice"
            ),
            models.CheckConstraint(
                condition=Q(dismissed_at__isnull=True) | ~Q(dismissal_reason=""),
                name="finding_dismissal_has_reason",
                violation_error_message="A dismissal needs its reason.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: @{self.reference.citekey} ({self.notice})"

    @property
    def dismissed(self) -> bool:
        return self.dismissed_at is not None


class PageFlagQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class PageFlag(models.Model):
    """An unscheduled review of one page, opened by a finding or a practice-changing study.

    Whether it is still open is derived (evidence.status): a physician's sign-off of the page
    after it was raised closes it, and so does the dismissal of its finding.
    """

    class Reason(models.TextChoices):
        RETRACTION = "retraction", "A study it cites was retracted"
        EXPRESSION_OF_CONCERN = "expression_of_concern", "A study it cites has a concern"
        PRACTICE_CHANGING = "practice_changing", "A new study may change the page"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    reason = models.CharField(max_length=24, choices=Reason.choices)
    detail = models.TextField()
    finding = models.ForeignKey(
        Finding, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    inbox_record = models.ForeignKey(
        "InboxRecord", on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    raised_at = models.DateTimeField()

    objects = PageFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "finding"],
                condition=Q(finding__isnull=False),
                name="one_flag_per_page_and_finding",
            )
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.content_type.model} {self.object_id})"


class EditorTask(models.Model):
    """A correction an editor checks against a page citing the corrected study."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="tasks")
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "finding"], name="one_task_per_page_finding"
            )
        ]

    def __str__(self):
        return f"Check the correction of @{self.finding.reference.citekey}"


PUBLICATION_TYPE_FILTERS = {
    "trials": "Randomized Controlled Trial[pt]",
    "meta_analyses": "Meta-Analysis[pt]",
    "systematic_reviews": "Systematic Review[pt]",
    "guidelines": "Guideline[pt] OR Practice Guideline[pt]",
}


class SavedSearch(models.Model):
    """A page's PubMed search, run with the watch for records entered since its last run."""

    condition = models.OneToOneField(
        "conditions.Condition", on_delete=models.CASCADE, related_name="saved_search"
    )
    terms = models.TextField(
        help_text="A PubMed query, as typed in PubMed: “ketamine AND obsessive-compulsive”."
    )
    trials = models.BooleanField("randomized trials", default=True)
    meta_analyses = models.BooleanField("meta-analyses", default=True)
    systematic_reviews = models.BooleanField("systematic reviews", default=True)
    guidelines = models.BooleanField("guidelines", default=True)
    starts_from = models.DateField(
        help_text="The first run looks for records entered in PubMed from this day on."
    )

    class Meta:
        verbose_name_plural = "saved searches"

    def __str__(self):
        return f"Evidence search of {self.condition}"

    @property
    def query(self) -> str:
        """The term PubMed's esearch is given: the terms within the chosen publication types."""
        chosen = [q for name, q in PUBLICATION_TYPE_FILTERS.items() if getattr(self, name)]
        if not chosen:
            return f"({self.terms})"
        return f"({self.terms}) AND ({' OR '.join(chosen)})"


class SearchRun(models.Model):
    """One run of a saved search: the entry dates it covered and when it ran."""

    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="runs")
    since = models.DateField()
    through = models.DateField()
    ran_at = models.DateTimeField()
    found = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["through", "pk"]

    def __str__(self):
        return f"{self.search}: {self.since} to {self.through}"


class InboxRecord(models.Model):
    """A record a page's saved search found, waiting for (or given) a physician's decision."""

    class Decision(models.TextChoices):
        NEW = "", "Not yet screened"
        NOT_RELEVANT = "not_relevant", "Not relevant"
        NOTED = "noted", "Noted"
        PRACTICE_CHANGING = "practice_changing", "Practice-changing"

    search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="records")
    run = models.ForeignKey(SearchRun, on_delete=models.CASCADE, related_name="records")
    pmid = models.CharField("PMID", max_length=9)
    title = models.TextField()
    journal = models.CharField(max_length=255, blank=True)
    published = models.CharField("publication date", max_length=40, blank=True)
    publication_types = models.JSONField(default=list, blank=True)
    decision = models.CharField(
        max_length=20, choices=Decision.choices, blank=True, default=Decision.NEW
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reference = models.ForeignKey(
        Reference,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The library's reference for this record, once imported.",
    )

    class Meta:
        ordering = ["run__through", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["search", "pmid"], name="one_inbox_record_per_pmid")
        ]

    def __str__(self):
        return f"PMID {self.pmid}: {self.title[:60]}"

    @property
    def abstract_url(self) -> str:
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"

    @property
    def screened(self) -> bool:
        return self.decision != self.Decision.NEW


class PageEvidence(models.Model):
    """A page's evidence status as the API reports it, written whenever it changes (a flag
    raised, a finding dismissed, a record screened, a sign-off), so a list of every live page
    reads it in the same query as the rest (evidence.status computes it)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    status = models.CharField(max_length=16, default="current")
    reasons = models.JSONField(default=list, blank=True)
    reviewed_through = models.DateField(null=True, blank=True)
    reviewed_through_source = models.CharField(max_length=8, default="editor")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "page evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_evidence_row_per_page"
            )
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}: {self.status}"
