"""Partners' webhook endpoints and each delivery made to them."""

import secrets

from django.db import models

from partners.models import Partner

EVENT_TYPES = [
    ("page.published", "A page was published (new or republished)"),
    ("page.withdrawn", "A page was unpublished, or moved away from its address"),
    ("page.moved", "A page was published at a new address"),
    ("page.review_overdue", "A live page's review is overdue"),
    ("reference.retracted", "A cited reference was retracted"),
    ("translation.stale", "A translation lags a clinically significant change of its English page"),
]


def new_secret() -> str:
    """A Standard Webhooks signing secret: whsec_ and 32 random bytes in base64."""
    import base64

    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


class EndpointQuerySet(models.QuerySet):
    def listening_to(self, event_type):
        """Enabled endpoints subscribed to event_type (an empty list means every event)."""
        return [e for e in self.filter(enabled=True) if e.wants(event_type)]


class Endpoint(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(
        "URL", max_length=500, help_text="https:// address that receives the events (POST)."
    )
    events = models.JSONField(
        default=list, blank=True, help_text="Event types to send; empty for every event."
    )
    secret = models.CharField(max_length=80, default=new_secret, editable=False)
    enabled = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    failing_since = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When deliveries started failing; a day of failures disables the endpoint.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        verbose_name = "webhook endpoint"
        ordering = ["partner__name", "url"]

    def __str__(self):
        return f"{self.partner} → {self.url}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from webhooks.addresses import check_url
        from webhooks.errors import EndpointRefused

        unknown = sorted(set(self.events) - {name for name, _ in EVENT_TYPES})
        if unknown:
            raise ValidationError({"events": f"Unknown event type(s): {', '.join(unknown)}."})
        try:
            check_url(self.url)
        except EndpointRefused as error:
            raise ValidationError({"url": str(error)}) from None

    def rotate_secret(self) -> str:
        """A new signing secret; deliveries from now on are signed with it."""
        self.secret = new_secret()
        self.save(update_fields=["secret"])
        return self.secret

    def wants(self, event_type) -> bool:
        return not self.events or event_type in self.events


class Event(models.Model):
    """One event as it happened, numbered: its id is the sequence every delivery of it carries.

    Numbers only grow, site-wide, so they grow for every page and every address: of two events
    about the same slug, the one with the larger sequence is the newer, even when the address
    passed from one page to another in between.
    """

    event_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(max_length=40, choices=EVENT_TYPES)
    subject = models.SlugField(
        max_length=120, blank=True, help_text="The address the event is about, if one."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self):
        return f"{self.pk} {self.event_type} {self.subject}".strip()

    @property
    def sequence(self) -> int:
        return self.pk


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed (gave up)"
        SUPERSEDED = "superseded", "Superseded (a newer event was delivered)"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(
        max_length=40, help_text="The webhook-id: the same on every attempt, for deduplication."
    )
    event_type = models.CharField(max_length=40, choices=EVENT_TYPES)
    sequence = models.PositiveBigIntegerField(
        default=0, help_text="The event's sequence: larger is newer."
    )
    subject = models.SlugField(
        max_length=120, blank=True, help_text="The address the event is about, if one."
    )
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    response_code = models.PositiveIntegerField("response", null=True, blank=True)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField("next attempt", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField("last attempt", null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="one_delivery_per_event")
        ]
        indexes = [models.Index(fields=["endpoint", "subject", "-sequence"])]

    def __str__(self):
        return f"{self.event_type} {self.event_id} → {self.endpoint.url}"
