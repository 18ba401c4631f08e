"""Per-partner request counts: counted in the cache, added to the database in batches.

Answering a request only increments a cache counter. Every API_USAGE_FLUSH_EVERY requests of a
partner, and whenever flush() runs (the flush_api_usage command, the partners admin), the
pending count moves to Partner.request_count. The pending counter is decremented by exactly
what was added, so two concurrent flushes can briefly leave it negative but never lose or
double a request: request_count + pending is always the true total.
"""

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from partners.models import Partner


def increment(key, timeout=None) -> int:
    """Add one to a cache counter, creating it when absent; returns the new value."""
    try:
        return cache.incr(key)
    except ValueError:
        if cache.add(key, 1, timeout):
            return 1
        return cache.incr(key)


def peek(key) -> int | None:
    return cache.get(key)


def record_request(partner_id: int) -> None:
    if increment(_pending_key(partner_id)) >= settings.API_USAGE_FLUSH_EVERY:
        flush([partner_id])


def pending(partner_ids) -> dict[int, int]:
    """Requests counted in the cache and not yet added to the database, by partner id."""
    keys = {_pending_key(pk): pk for pk in partner_ids}
    return {keys[key]: count for key, count in cache.get_many(list(keys)).items()}


def flush(partner_ids=None) -> int:
    """Add the pending counts to the database; returns how many requests were added."""
    if partner_ids is None:
        partner_ids = list(Partner.objects.values_list("pk", flat=True))
    added = 0
    for partner_id, count in pending(partner_ids).items():
        if count <= 0:
            continue
        try:
            cache.decr(_pending_key(partner_id), count)
        except ValueError:  # evicted meanwhile: nothing left to move
            continue
        Partner.objects.filter(pk=partner_id).update(
            request_count=F("request_count") + count, last_counted_at=timezone.now()
        )
        added += count
    return added


def _pending_key(partner_id) -> str:
    return f"partners:usage:{partner_id}"
