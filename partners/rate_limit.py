"""A partner's requests a minute, counted together with its usage in one cache round trip.

Every request is counted. Far from a partner's limit a process need not ask the shared cache
about each one: it tallies them and adds its tally to the shared count (and the usage) every
API_RATE_BATCH requests or API_RATE_SYNC_SECONDS, whichever comes first. From half the limit on
every request is added before it is answered, so the decision near the limit is the shared
count's. A process's tally is at most the batch, which is also never more than 1% of the limit:
with W processes a partner may pass its limit by at most (W - 1) batches, and a partner with a
limit under 100 a minute is counted request by request.
"""

import threading
import time
from dataclasses import dataclass

from django.conf import settings

from partners import usage
from tovani import shared_cache

RATE_WINDOW_SECONDS = 60


@dataclass
class _Tally:
    window: int
    synced_at: float
    # The window's shared count when this process last added its tally to it.
    shared: int = 0
    requests: int = 0
    # Requests not yet added to the usage count (carried over into the next window).
    unused: int = 0


_tallies: dict[int, _Tally] = {}
_lock = threading.Lock()


def batch(limit: int) -> int:
    """How many requests a process may tally before adding them to the shared count."""
    return min(settings.API_RATE_BATCH, limit // 100)


def admit(partner) -> tuple[bool, float]:
    """Count one request of the partner; whether it is within the limit, and the seconds until
    the next window."""
    now = time.time()
    window = int(now // RATE_WINDOW_SECONDS)
    retry_after = RATE_WINDOW_SECONDS * (window + 1) - now
    limit = partner.rate_limit_per_minute
    with _lock:
        tally = _tallies.get(partner.pk)
        if tally is None or tally.window != window:
            carried = tally.unused if tally else 0
            tally = _tallies[partner.pk] = _Tally(window, now, unused=carried)
        tally.requests += 1
        tally.unused += 1
        far_from_limit = (tally.shared + tally.requests) * 2 < limit
        if (
            far_from_limit
            and tally.requests <= batch(limit)
            and now - tally.synced_at < settings.API_RATE_SYNC_SECONDS
        ):
            return True, retry_after
        requests, unused = tally.requests, tally.unused
        tally.requests = tally.unused = 0
    rate, pending = shared_cache.count(
        (f"partners:rate:{partner.pk}:{window}", RATE_WINDOW_SECONDS * 2),
        (usage.pending_key(partner.pk), None),
        amounts=(requests, unused),
    )
    with _lock:
        tally.shared, tally.synced_at = rate, now
    usage.counted(partner.pk, pending)
    return rate <= limit, retry_after


def forget():
    """Forget this process's tallies (for tests)."""
    with _lock:
        _tallies.clear()


def standing(partner) -> tuple[int, int]:
    """(requests the partner has left in this window, seconds until the next), as this
    process last knew the shared count: for the RateLimit header, never for the decision."""
    now = time.time()
    window = int(now // RATE_WINDOW_SECONDS)
    with _lock:
        tally = _tallies.get(partner.pk)
        used = tally.shared + tally.requests if tally and tally.window == window else 0
    reset = max(1, round(RATE_WINDOW_SECONDS * (window + 1) - now))
    return max(0, partner.rate_limit_per_minute - used), reset
