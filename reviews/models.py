"""Physicians and the records of the review workflow.

reviews is generic: it signs off and publishes any model that offers ``build_document()``, and
knows no content type. SignOff and Publication are append-only records; LivePublication is the
one mutable pointer saying which publication the public sees for a page.
"""

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from reviews.errors import AppendOnlyError

SIGNOFF_MEANING = "Reviewed for clinical accuracy"
SIGNATURE_PREFIX = "Dr. "


class PhysicianQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


@reversion.register()
class Physician(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="physician"
    )
    display_name = models.CharField(
        max_length=120, help_text="The name on the review stamp, without “Dr.”: “Ben Soffer”."
    )
    credentials = models.CharField(max_length=40, help_text="For example DO, MD, or MD, PhD.")
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Only an active physician can sign off, and only an active physician's "
        "sign-off can be published.",
    )

    objects = PhysicianQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.signature

    @property
    def signature(self) -> str:
        """The name as the review stamp shows it: “Dr. Ben Soffer, DO”."""
        return f"{SIGNATURE_PREFIX}{self.display_name}, {self.credentials}"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be changed.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be changed.")

    def delete(self):
        raise AppendOnlyError(f"{self.model._meta.verbose_name_plural} cannot be deleted.")

    delete.queryset_only = True

    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class AppendOnlyModel(models.Model):
    """A record about a page that is written once and then never updated or deleted."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"A {self._meta.verbose_name} cannot be changed once recorded.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"A {self._meta.verbose_name} cannot be deleted.")


class DocumentRecord(AppendOnlyModel):
    """A record that carries the page's document exactly as it stood, and its digest."""

    digest = models.CharField(max_length=64, help_text="sha256 of the document's canonical JSON.")
    document = models.JSONField(help_text="The page exactly as it was approved or published.")

    class Meta:
        abstract = True


class SignOffQuerySet(AppendOnlyQuerySet):
    def of_digest(self, digest):
        return self.filter(digest=digest)

    def latest_first(self):
        return self.order_by("-signed_at", "-pk")


class SignOff(DocumentRecord):
    physician = models.ForeignKey(Physician, on_delete=models.PROTECT, related_name="sign_offs")
    signature = models.CharField(
        max_length=200, help_text="The physician's name and credentials when they signed."
    )
    meaning = models.CharField(max_length=120, default=SIGNOFF_MEANING)
    note = models.TextField(blank=True)
    signed_at = models.DateTimeField(db_index=True)

    objects = SignOffQuerySet.as_manager()

    class Meta:
        verbose_name = "sign-off"
        ordering = ["-signed_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "digest"])]
        permissions = [("sign_off_page", "Can sign off pages for clinical accuracy")]

    def __str__(self):
        return f"{self.signature} on {self.signed_at:%Y-%m-%d} ({self.digest[:12]})"

    @property
    def signer(self) -> tuple[str, str]:
        """The name and credentials as signed: ("Ben Soffer", "DO") from “Dr. Ben Soffer, DO”."""
        name, _, credentials = self.signature.removeprefix(SIGNATURE_PREFIX).partition(", ")
        return name, credentials


class PublicationQuerySet(AppendOnlyQuerySet):
    def live(self):
        return self.filter(live__isnull=False)

    def live_of(self, model):
        """The live publications of one content type."""
        return self.filter(live__content_type=ContentType.objects.get_for_model(model))


class Publication(DocumentRecord):
    slug = models.SlugField(max_length=120, help_text="The public address when published.")
    title = models.CharField(max_length=255)
    sign_off = models.ForeignKey(SignOff, on_delete=models.PROTECT, related_name="publications")
    published_at = models.DateTimeField(db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-published_at"])]
        permissions = [("publish_page", "Can publish and unpublish pages")]

    def __str__(self):
        return f"{self.title} published {self.published_at:%Y-%m-%d %H:%M}"


class LivePublication(models.Model):
    """Which publication the public sees for a page; absent when the page is not published."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=120)
    publication = models.OneToOneField(Publication, on_delete=models.PROTECT, related_name="live")
    live_since = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_live_publication_per_page"
            ),
            models.UniqueConstraint(fields=["content_type", "slug"], name="one_live_page_per_slug"),
        ]

    def __str__(self):
        return f"{self.slug} → publication {self.publication_id}"


class ReviewEventQuerySet(AppendOnlyQuerySet):
    def decisions(self):
        """Submissions and requests for changes: the events that set a draft's review state."""
        return self.filter(
            kind__in=[ReviewEvent.Kind.SUBMITTED, ReviewEvent.Kind.CHANGES_REQUESTED]
        )


class ReviewEvent(AppendOnlyModel):
    """One step of a page's review history, for its timeline; never changed or deleted.

    django-reversion keeps versions, not an audit trail (it does not record deletions), so
    the workflow writes its own.
    """

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        SIGNED_OFF = "signed_off", "Signed off"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Empty only for steps no person took, such as withdrawing a page whose review expired.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    digest = models.CharField(max_length=64, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(db_index=True)

    objects = ReviewEventQuerySet.as_manager()

    class Meta:
        verbose_name = "review event"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.actor} on {self.at:%Y-%m-%d %H:%M}"
