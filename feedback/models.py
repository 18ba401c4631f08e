"""Reports readers send about a published page, and the editors' triage of them.

Everything a reader types is stored and shown as plain text, never as HTML.
"""

from django.conf import settings
from django.db import models

MESSAGE_MAX_LENGTH = 2000


class ReportQuerySet(models.QuerySet):
    def open(self):
        """Reports an editor still has to deal with: new or in progress."""
        return self.exclude(status=Report.Status.CLOSED)

    def attached_to_review_of(self, content_type_id, object_id):
        """Open reports an editor attached to the page's next review."""
        return self.open().filter(
            attached_to_review=True,
            publication__content_type_id=content_type_id,
            publication__object_id=object_id,
        )


class Report(models.Model):
    class Kind(models.TextChoices):
        ERROR = "error", "Something is wrong or out of date"
        UNCLEAR = "unclear", "Something is hard to understand"
        MISSING = "missing", "Something is missing"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    publication = models.ForeignKey(
        "reviews.Publication",
        on_delete=models.PROTECT,
        related_name="reader_reports",
        help_text="The version of the page the reader was reading.",
    )
    page_title = models.CharField(max_length=255)
    kind = models.CharField("what is wrong", max_length=20, choices=Kind.choices)
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH)
    contact = models.EmailField(
        "reader's e-mail", blank=True, help_text="Optional: given only if the reader wants a reply."
    )
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    reply_note = models.TextField(
        blank=True, help_text="What was done, or the answer sent to the reader."
    )
    attached_to_review = models.BooleanField(
        "attached to the next review",
        default=False,
        help_text="Show this report to the physician on the page's next review screen.",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "reader report"
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["status", "-received_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.page_title} ({self.received_at:%Y-%m-%d})"
