"""The surrogate keys of each publication, and the outbox of purges the worker sends."""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class SurrogateKeySet(models.Model):
    """The keys a publication's answers carry: written when it goes live, never changed.

    Kept so a purge can find the live pages that show a reference, a reviewer or a treatment
    without reading their documents, and so a process that has not seen the publication yet
    can send its keys with one indexed read.
    """

    publication = models.OneToOneField(
        "reviews.Publication", on_delete=models.CASCADE, related_name="surrogate_keys"
    )
    # Space-separated, with a space at each end, so " ref-x " finds the key x exactly.
    keys = models.TextField()

    class Meta:
        verbose_name = "surrogate key set"

    def __str__(self):
        return f"Keys of publication {self.publication_id}"

    @property
    def key_list(self) -> list[str]:
        return self.keys.split()


class PurgeQuerySet(models.QuerySet):
    def unconfirmed(self):
        return self.filter(confirmed_at__isnull=True, abandoned_at__isnull=True)

    def for_object(self, obj):
        content_type = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=content_type, object_id=obj.pk)


class Purge(models.Model):
    """One purge to send to every configured edge cache: written in the transaction of the
    change that makes cached answers wrong, sent by the task worker after it commits."""

    class Reason(models.TextChoices):
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"
        RETRACTED = "retracted", "Reference retracted"
        REVIEWER = "reviewer", "Reviewer profile changed"
        TREATMENT = "treatment", "Treatment summary changed"
        ALONGSIDE = "alongside", "Notice or language versions changed"

    reason = models.CharField(max_length=20, choices=Reason.choices)
    keys = models.TextField(help_text="The surrogate keys to purge, separated by spaces.")
    paths = models.TextField(
        blank=True,
        help_text="Addresses to purge for caches that purge by address (nginx), one a line; "
        "a path ending in * purges every address it starts.",
    )
    # The page the purge is about, when there is one: its timeline shows the confirmation.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    # Each backend's name and when it confirmed; the purge is done when all have.
    confirmed_by = models.JSONField(default=dict, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    abandoned_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    objects = PurgeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.get_reason_display()} purge of {self.keys}"

    @property
    def key_list(self) -> list[str]:
        return self.keys.split()

    @property
    def path_list(self) -> list[str]:
        return [line for line in self.paths.splitlines() if line]

    @property
    def seconds_to_confirm(self) -> float | None:
        if self.confirmed_at is None:
            return None
        return (self.confirmed_at - self.created_at).total_seconds()
