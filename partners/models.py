"""Partners of the JSON API and their keys.

A partner's key is stored only as its sha256 digest with a short lookup prefix; the key itself
is shown once, when it is issued. Usage is counted in the cache and added to request_count in
batches (partners.usage), so answering a request writes nothing to the database.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

DEFAULT_RATE_LIMIT = 600


class PartnerQuerySet(models.QuerySet):
    def active(self):
        """Partners whose key has not been revoked."""
        return self.filter(revoked_at__isnull=True)


class Partner(models.Model):
    name = models.CharField(max_length=120, unique=True, help_text="The organization: “Acme”.")
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(
        blank=True, help_text="Who to tell about API changes and key problems."
    )
    rate_limit_per_minute = models.PositiveIntegerField(
        default=DEFAULT_RATE_LIMIT,
        validators=[MinValueValidator(1)],
        help_text="Requests a minute; past it the API answers 429 with Retry-After.",
    )
    key_prefix = models.CharField(
        max_length=12, unique=True, editable=False, help_text="Finds the key; not secret."
    )
    key_digest = models.CharField(
        max_length=64, editable=False, help_text="sha256 of the key; the key is never stored."
    )
    key_issued_at = models.DateTimeField(editable=False)
    revoked_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Set when the key was revoked."
    )
    request_count = models.PositiveBigIntegerField("requests counted", default=0, editable=False)
    last_counted_at = models.DateTimeField(
        "usage last counted",
        null=True,
        blank=True,
        editable=False,
        help_text="When request counts were last added; counts are added in batches.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_limit_per_minute__gte=1), name="partner_rate_limit_positive"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
