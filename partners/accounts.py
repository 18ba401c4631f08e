"""Issuing, revoking and checking partner keys: the one place their rules live.

A key found valid is remembered by each process for PARTNER_KEY_SECONDS (by its digest, never
the key itself), so an API request costs no query to authenticate; a revoked or rotated key
therefore stops working within PARTNER_KEY_SECONDS, in every process.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from partners.errors import PartnerError
from partners.keys import generate_key, key_digest, key_matches, prefix_of
from partners.models import DEFAULT_RATE_LIMIT, Partner
from tovani.process_memory import ProcessMemory

# Compared against when no partner has the prefix, so a miss costs the same comparison.
_NO_PARTNER_DIGEST = key_digest("no partner has this key")
# Valid keys by digest, for PARTNER_KEY_SECONDS: invalid ones are not remembered.
recent_keys = ProcessMemory(limit=lambda: 10_000, seconds=lambda: settings.PARTNER_KEY_SECONDS)


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
    """The active partner whose key this is: from this process's memory, or one indexed query
    and a constant-time comparison."""
    digest = key_digest(key)
    partner = recent_keys.get(digest)
    if partner is None:
        partner = _partner_for_key(key)
        recent_keys.set(digest, partner)
    return partner


def _partner_for_key(key: str) -> Partner:
    prefix = prefix_of(key)
    partner = Partner.objects.filter(key_prefix=prefix).first() if prefix else None
    digest = partner.key_digest if partner else _NO_PARTNER_DIGEST
    if not key_matches(key, digest) or partner is None:
        raise InvalidKey("The API key is not valid.")
    if partner.revoked_at is not None:
        raise InvalidKey("This API key has been revoked.")
    return partner
