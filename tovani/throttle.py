"""The one throttle: requests counted per client address in fixed windows of the shared cache.

Partners' requests without a valid key and readers' reports are counted here, against the
address tovani.client_address gives (so behind the proxy each reader is counted apart), in the
shared cache through tovani.shared_cache (so with Redis away the count goes on in this process,
and nobody gets an error for it).
"""

import time
from dataclasses import dataclass

from tovani import shared_cache
from tovani.client_address import client_address


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: float  # seconds until the window ends


def count(scope: str, key: str, limit: int, seconds: int) -> Verdict:
    """Count one request of key under scope in the current window of seconds."""
    now = time.time()
    window = int(now // seconds)
    (counted,) = shared_cache.count((f"{scope}:{key}:{window}", seconds * 2))
    return Verdict(counted <= limit, counted, seconds * (window + 1) - now)


def count_client(request, scope: str, limit: int, seconds: int) -> Verdict:
    """Count one request of the client that sent request (a Django or DRF request)."""
    return count(scope, client_address(request), limit, seconds)
