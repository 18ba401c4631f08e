"""Issuing, revoking and checking partner keys: the one place their rules live."""

from django.db import transaction
from django.utils import timezone

from partners.errors import PartnerError
from partners.keys import generate_key, key_digest, key_matches, prefix_of
from partners.models import DEFAULT_RATE_LIMIT, Partner

# Compared against when no partner has the prefix, so a miss costs the same comparison.
_NO_PARTNER_DIGEST = key_digest("no partner has this key")


class InvalidKey(PartnerError):
    """The key is missing, unknown or revoked; the message never repeats the key."""


def create_partner(
    name, *, contact_name="", contact_email="", rate_limit_per_minute=DEFAULT_RATE_LIMIT
) -> tuple[Partner, str]:
    """A new partner and its key. The key is returned once and never stored."""
    partner = Partner(
        name=(name or "").strip(),
        contact_name=contact_name,
        contact_email=contact_email,
        rate_limit_per_minute=rate_limit_per_minute,
    )
    return partner, issue_key(partner)


def issue_key(partner: Partner) -> str:
    """Give the partner a new key, replacing any earlier one; returns the key, shown once."""
    new = generate_key()
    partner.key_prefix = new.prefix
    partner.key_digest = new.digest
    partner.key_issued_at = timezone.now()
    partner.revoked_at = None
    partner.full_clean()
    with transaction.atomic():
        partner.save()
    return new.key


def revoke_key(partner: Partner) -> bool:
    """Stop the partner's key from working; False if it was already revoked."""
    if partner.revoked_at is not None:
        return False
    partner.revoked_at = timezone.now()
    partner.save(update_fields=["revoked_at"])
    return True


def partner_for_key(key: str) -> Partner:
    """The active partner whose key this is: one indexed query, a constant-time comparison."""
    prefix = prefix_of(key)
    partner = Partner.objects.filter(key_prefix=prefix).first() if prefix else None
    digest = partner.key_digest if partner else _NO_PARTNER_DIGEST
    if not key_matches(key, digest) or partner is None:
        raise InvalidKey("The API key is not valid.")
    if partner.revoked_at is not None:
        raise InvalidKey("This API key has been revoked.")
    return partner
