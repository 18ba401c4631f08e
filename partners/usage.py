"""Per-partner request counts: counted in the shared cache, added to the database in batches.

Answering a request only increments a cache counter, in the same round trip as the rate limit
(partners.authentication). Every API_USAGE_FLUSH_EVERY requests of a partner, and whenever
flush() runs (the flush_api_usage command, the partners admin), the pending count moves to
Partner.request_count. The pending counter is decremented by exactly what was added, so two
concurrent flushes can briefly leave it negative but never lose or double a request:
request_count + pending is always the true total.

Counts are best effort when the shared cache fails: a count pending in Redis when it dies is
lost, and while it is away each process counts in its own memory (tovani.shared_cache) and adds
its counts to the database itself every API_USAGE_FLUSH_EVERY requests.
"""

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from partners.models import Partner
from tovani import shared_cache


def pending_key(partner_id) -> str:
    return f"partners:usage:{partner_id}"


def counted(partner_id: int, pending: int) -> None:
    """After a request was counted: flush the partner's count when enough are pending."""
    if pending >= settings.API_USAGE_FLUSH_EVERY:
        flush([partner_id])


def pending(partner_ids) -> dict[int, int]:
    """Requests counted in the cache and not yet added to the database, by partner id."""
    keys = {pending_key(pk): pk for pk in partner_ids}
    return {keys[key]: count for key, count in shared_cache.counters(list(keys)).items()}


def flush(partner_ids=None) -> int:
    """Add the pending counts to the database; returns how many requests were added."""
    if partner_ids is None:
        partner_ids = list(Partner.objects.values_list("pk", flat=True))
    added = 0
    for partner_id, count in pending(partner_ids).items():
        if count <= 0:
            continue
        if shared_cache.add(pending_key(partner_id), -count) is None:
            continue  # evicted meanwhile: nothing left to move
        Partner.objects.filter(pk=partner_id).update(
            request_count=F("request_count") + count, last_counted_at=timezone.now()
        )
        added += count
    return added
