"""Physicians and the records of the review workflow.

reviews is generic: it signs off and publishes any model that offers ``build_document()``, and
knows no content type. SignOff and Publication are append-only records; LivePublication is the
one mutable pointer saying which publication the public sees for a page.
"""

from datetime import timedelta

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from reviews.errors import AppendOnlyError
from reviews.validators import validate_npi

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
    # The public profile: each fact is shown only when filled in, never guessed.
    slug = models.SlugField(
        max_length=120, unique=True, help_text="The profile's address: /reviewers/this-slug/."
    )
    specialty = models.CharField(max_length=120, blank=True, help_text="For example Psychiatry.")
    license_state = models.CharField(
        "license state", max_length=40, blank=True, help_text="The state that issued the license."
    )
    license_number = models.CharField("license number", max_length=40, blank=True)
    npi = models.CharField(
        "NPI",
        max_length=10,
        blank=True,
        validators=[validate_npi],
        help_text="National Provider Identifier: 10 digits, checked against its check digit.",
    )
    biography = models.TextField(blank=True, help_text="A short biography, in plain text.")
    languages = models.CharField(
        "review languages",
        max_length=60,
        blank=True,
        help_text="Languages besides English the physician reviews clinical text in, as "
        "codes separated by commas: “es” for Spanish. Only they sign off translations.",
    )
    spanish_honorific = models.CharField(
        "Spanish honorific",
        max_length=4,
        choices=[("Dr.", "Dr."), ("Dra.", "Dra.")],
        default="Dr.",
        help_text="How Spanish pages' stamps address the physician (“Revisado por Dra. …”). "
        "English stamps and signed records keep “Dr.”.",
    )
    disclosures = models.TextField(
        "disclosures of conflicts of interest",
        blank=True,
        help_text="Financial or other interests a reader should know of, in plain text. "
        "Leave blank when there are none to declare yet.",
    )

    objects = PhysicianQuerySet.as_manager()

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.signature

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._free_slug()
        previous = Physician.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        super().save(*args, **kwargs)
        if previous and previous != self.slug:
            FormerProfileAddress.record_rename(self, previous)

    def get_absolute_url(self):
        return reverse("reviewers:detail", kwargs={"slug": self.slug})

    def _free_slug(self) -> str:
        base = slugify(self.display_name) or "physician"
        taken = set(Physician.objects.filter(slug__startswith=base).values_list("slug", flat=True))
        taken |= set(
            FormerProfileAddress.objects.filter(slug__startswith=base).values_list(
                "slug", flat=True
            )
        )
        return next(
            slug
            for slug in (base, *(f"{base}-{n}" for n in range(2, len(taken) + 3)))
            if slug not in taken
        )

    def clean(self):
        if (
            FormerProfileAddress.objects.filter(slug=self.slug)
            .exclude(physician_id=self.pk)
            .exists()
        ):
            message = "This was another physician's profile address: their old links lead there."
            raise ValidationError({"slug": message})
        if bool(self.license_state.strip()) != bool(self.license_number.strip()):
            field = "license_number" if self.license_state.strip() else "license_state"
            raise ValidationError(
                {field: "Give the license's state and number together, or neither."}
            )

    @property
    def signature(self) -> str:
        """The name as the review stamp shows it: “Dr. Ben Soffer, DO”."""
        return f"{SIGNATURE_PREFIX}{self.display_name}, {self.credentials}"


class FormerProfileAddress(models.Model):
    """A profile address a physician had before a rename: published pages still link to it."""

    slug = models.SlugField(max_length=120, unique=True)
    physician = models.ForeignKey(
        Physician, on_delete=models.CASCADE, related_name="former_addresses"
    )
    until = models.DateTimeField(auto_now=True, help_text="When the profile left this address.")

    class Meta:
        verbose_name = "former profile address"
        verbose_name_plural = "former profile addresses"

    def __str__(self):
        return f"/reviewers/{self.slug}/ → {self.physician}"

    @classmethod
    def record_rename(cls, physician, previous: str) -> None:
        """The old address leads to the physician; an address they take back is theirs again."""
        cls.objects.update_or_create(slug=previous, defaults={"physician": physician})
        cls.objects.filter(slug=physician.slug).delete()


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
    """A record that carries the page's document exactly as it stood, and two digests.

    source_digest names the content a physician signs (the source: text as typed, structured
    fields, the fields of cited references); the workflow compares only it, so a new version of
    the renderer changes no approval. digest names the stored document, rendering included: the
    API's and the pages' validators, and the check that a stored document was not altered.
    """

    digest = models.CharField(max_length=64, help_text="sha256 of the document's canonical JSON.")
    source_digest = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
        help_text="sha256 of the canonical source the document was built from: what was signed. "
        "Empty on a record older than source digests whose content had already changed.",
    )
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
    # What the page's public history says of this version: signed with it, not part of the page.
    change_summary = models.TextField(
        blank=True, help_text="The public summary of what changed, as the physician approved it."
    )
    clinically_significant = models.BooleanField(
        "clinically significant change",
        default=False,
        help_text="The change alters clinical advice, not only wording.",
    )

    objects = SignOffQuerySet.as_manager()

    class Meta:
        verbose_name = "sign-off"
        ordering = ["-signed_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "digest"])]
        permissions = [("sign_off_page", "Can sign off pages for clinical accuracy")]

    def __str__(self):
        return f"{self.signature} on {self.signed_at:%Y-%m-%d} ({self.source_digest[:12]})"

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
    payload = models.TextField(
        blank=True, help_text="The exact string the site signed (reviews.signatures)."
    )
    signature = models.CharField(
        max_length=100, blank=True, help_text="The site's Ed25519 signature of payload, base64url."
    )
    key_id = models.CharField(
        max_length=64, blank=True, help_text="The kid of the SigningKey that made the signature."
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-published_at"])]
        permissions = [("publish_page", "Can publish and unpublish pages")]

    def __str__(self):
        return f"{self.title} published {self.published_at:%Y-%m-%d %H:%M}"


class SigningKey(models.Model):
    """The public half of a key the site has signed publications with; kept after rotation.

    Only public keys are stored here: the private key lives in the environment or a key file,
    so a copy of the database can verify publications but never sign one.
    """

    kid = models.CharField(max_length=64, unique=True, help_text="RFC 7638 thumbprint.")
    x = models.CharField(max_length=64, help_text="The 32-byte Ed25519 public key, base64url.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "signing key"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.kid

    @property
    def jwk(self) -> dict:
        return {"kty": "OKP", "crv": "Ed25519", "kid": self.kid, "x": self.x, "use": "sig"}


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
        SCHEDULED = "scheduled", "Scheduled for publication"
        SCHEDULE_CANCELLED = "schedule_cancelled", "Scheduled publication cancelled"
        SCHEDULE_REFUSED = "schedule_refused", "Scheduled publication refused"
        TAKEDOWN_SCHEDULED = "takedown_scheduled", "Scheduled to come off the site"
        TAKEDOWN_CANCELLED = "takedown_cancelled", "Scheduled take-down cancelled"
        TAKEDOWN_REFUSED = "takedown_refused", "Scheduled take-down refused"
        # Recorded by the evidence watch (evidence/): a review opened by what it found, and a
        # physician's dismissal of a finding.
        EVIDENCE_FLAGGED = "evidence_flagged", "Review opened by the evidence watch"
        FINDING_DISMISSED = "finding_dismissed", "Evidence finding dismissed"

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
    # The public change summary an editor proposes when submitting; the sign-off approves it.
    change_summary = models.TextField(blank=True)
    clinically_significant = models.BooleanField("clinically significant change", default=False)
    previous_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="The hash of the event recorded just before this one, on any page "
        "(reviews.audit_chain); empty for the first.",
    )
    hash = models.CharField(
        max_length=64, blank=True, help_text="sha256 of this event's fields and previous_hash."
    )

    objects = ReviewEventQuerySet.as_manager()

    class Meta:
        verbose_name = "review event"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.actor} on {self.at:%Y-%m-%d %H:%M}"


class EventChainLock(models.Model):
    """One row that a step locks to append a review event, so the chain never forks.

    It holds no data: the chain's head is the newest event itself, so a backup restores the
    chain with the events alone.
    """

    class Meta:
        verbose_name = "event chain lock"

    def __str__(self):
        return "the review events' chain lock"


class ReviewStateQuerySet(models.QuerySet):
    """Pages by where they stand in review, read from the stored state: constant queries."""

    def of_model(self, model):
        return self.filter(content_type=ContentType.objects.get_for_model(model))

    def awaiting_review(self):
        """A submission waits for a physician's decision (drafts and live pages alike)."""
        return self.filter(submission__isnull=False)

    def changes_requested(self):
        """A physician sent the current version back to the editors."""
        return self.filter(changes_request__isnull=False)

    def approved_unpublished(self):
        """The current version is signed off and the sign-off is fresh; it is not live yet."""
        from reviews import clock

        fresh_since = clock.now() - timedelta(days=settings.REVIEW_INTERVAL_DAYS)
        return self.filter(state=ReviewState.State.APPROVED, sign_off__signed_at__gt=fresh_since)

    def live_with_unreviewed_changes(self):
        """Live, but the current version is not what the public reads and no one signed it
        (whether or not it is in review, or was sent back)."""
        State = ReviewState.State
        unsigned = [State.LIVE_WITH_UNREVIEWED_CHANGES, State.IN_REVIEW, State.CHANGES_REQUESTED]
        return self.live().filter(state__in=unsigned)

    def live(self):
        return self.filter(publication__isnull=False)

    def review_due(self, within):
        """Live pages whose review expires within the timedelta (overdue ones included)."""
        # From the live sign-off's date: a new REVIEW_INTERVAL_DAYS applies to every page at once.
        from reviews import clock

        signed_before = clock.now() + within - timedelta(days=settings.REVIEW_INTERVAL_DAYS)
        return self.live().filter(publication__sign_off__signed_at__lte=signed_before)

    def with_records(self):
        """With the submission, sign-off and live publication, their documents left unread."""
        return self.select_related(
            "submission__actor", "changes_request__actor", "sign_off", "publication__sign_off"
        ).defer("sign_off__document", "publication__document", "publication__sign_off__document")


class ReviewState(models.Model):
    """Where one publishable object stands in review, stored so queues cost constant queries.

    One row per object (generic: content_type, object_id), written only by the workflow steps
    and the save path (reviews.workflow), never by a form. Every step re-derives the state from
    the current source digest before it acts, and the digest stays the authority at publish: a
    stale row can make a list wrong for a moment, never let a page through the gate.

    Fields:
      state           the State when last written (time does not rewrite it: a live page past
                      its review interval is overdue, see reviews.workflow.facts.stored_state);
      source_digest   the digest of the object's source when last written;
      submission      the SUBMITTED ReviewEvent waiting for a physician (its actor, note, at),
                      or None; a new submission of a changed version replaces it here (both stay
                      on the timeline);
      changes_request the CHANGES_REQUESTED ReviewEvent the editors have to answer, or None;
      sign_off        the object's newest SignOff (whichever version it approved), or None;
      publication     the Publication the public reads now, or None;
      changed_by      ids of the users whose changes since the newest sign-off are in the
                      current version: none of them may sign it off;
      updated_at      when the row was last written.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        APPROVED = "approved", "Approved, not yet published"
        LIVE = "live", "Live"
        LIVE_WITH_UNREVIEWED_CHANGES = (
            "live_with_unreviewed_changes",
            "Live, with unreviewed changes",
        )
        REVIEW_OVERDUE = "review_overdue", "Live, review overdue"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    state = models.CharField(max_length=30, choices=State.choices, default=State.DRAFT)
    source_digest = models.CharField(max_length=64, blank=True)
    submission = models.ForeignKey(
        ReviewEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changes_request = models.ForeignKey(
        ReviewEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sign_off = models.ForeignKey(
        SignOff, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_by = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReviewStateQuerySet.as_manager()

    class Meta:
        verbose_name = "review state"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_review_state_per_page"
            )
        ]
        indexes = [models.Index(fields=["content_type", "state"])]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}: {self.get_state_display()}"


class ScheduledPublicationQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def pending(self):
        """Waiting for their time: neither published, cancelled nor refused yet."""
        return self.filter(status=ScheduledPublication.Status.SCHEDULED)

    def due(self, now):
        return self.pending().filter(publish_at__lte=now)


class ScheduledPublication(models.Model):
    """A publisher's order to publish one approved version of a page at a chosen time.

    It names the version by the sign-off and the source digest that was approved: at its time
    the page is published only if it still has exactly that source and that approval still
    holds; otherwise the order is refused, with the reason, and nothing goes live.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        CANCELLED = "cancelled", "Cancelled"
        REFUSED = "refused", "Refused"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    sign_off = models.ForeignKey(SignOff, on_delete=models.PROTECT, related_name="+")
    source_digest = models.CharField(max_length=64)
    publish_at = models.DateTimeField(db_index=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    reason = models.TextField(blank=True, help_text="Why it was refused or cancelled.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    publication = models.ForeignKey(
        Publication, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ScheduledPublicationQuerySet.as_manager()

    class Meta:
        ordering = ["publish_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(status="scheduled"),
                name="one_pending_schedule_per_page",
            )
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id} at {self.publish_at:%Y-%m-%d %H:%M}"


class ReviewCommentQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def threads(self):
        """The comments that start a thread (not replies)."""
        return self.filter(parent__isnull=True)

    def open(self):
        return self.threads().filter(resolved_at__isnull=True)


class ReviewComment(models.Model):
    """A reviewer's comment on one part of a page, or a reply to one.

    The part is named by a stable anchor, "<app>.<model>:<pk>:<field>" (a key point's text, a
    FAQ, a section of the page), with the label and the text of the part as they stood when the
    comment was made. Comments live beside the content: they never change it or its digest.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    anchor = models.CharField(max_length=200)
    anchor_label = models.CharField(max_length=200)
    quote = models.TextField(blank=True, help_text="The part's text when the comment was made.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReviewCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "resolved_at"])]

    def __str__(self):
        return f"{self.anchor_label}: {self.body[:40]}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None


def validate_time_zone(value):
    import zoneinfo

    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            f"“{value}” is not a time zone name; choose one like America/Chicago or Europe/Madrid."
        )


class StaffProfile(models.Model):
    """A staff member's own settings: the time zone the admin shows and reads times in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="staff_profile",
    )
    time_zone = models.CharField(
        max_length=64,
        validators=[validate_time_zone],
        help_text="Times in the admin are shown in this zone, and times you type are read in it.",
    )

    def __str__(self):
        return f"{self.user}: {self.time_zone}"


class ScheduledTakedownQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def pending(self):
        return self.filter(status=ScheduledTakedown.Status.SCHEDULED)

    def due(self, now):
        return self.pending().filter(take_down_at__lte=now)


class ScheduledTakedown(models.Model):
    """A publisher's order to take a live page off the public site at a chosen time.

    At its time the page is unpublished through the workflow's unpublish(), as the publisher who
    scheduled it, with the reason given here on the timeline.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        DONE = "done", "Taken down"
        CANCELLED = "cancelled", "Cancelled"
        REFUSED = "refused", "Refused"

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    take_down_at = models.DateTimeField(db_index=True)
    take_down_reason = models.TextField(help_text="Why the page comes off the public site.")
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    reason = models.TextField(blank=True, help_text="Why it was refused or cancelled.")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScheduledTakedownQuerySet.as_manager()

    class Meta:
        ordering = ["take_down_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=models.Q(status="scheduled"),
                name="one_pending_takedown_per_page",
            )
        ]

    def __str__(self):
        when = f"{self.take_down_at:%Y-%m-%d %H:%M}"
        return f"{self.content_type.model} {self.object_id} off at {when}"
