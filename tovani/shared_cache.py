"""The shared cache (Redis when REDIS_URL is set): an accelerator, never a dependency.

Every use of the cache goes through here. Redis is asked with short timeouts (REDIS_TIMEOUT,
100 ms, to connect and to read); when it fails or hangs, the answer is a miss, the failure is
logged at most once a minute, and this process leaves Redis alone for REDIS_RETRY_SECONDS
before trying again, so a request never waits on it twice. Meanwhile pages come from process
memory or PostgreSQL, and counters (rate limits, usage, the wrong-key throttle) are counted in
this process's memory: a partner's limit then applies per process. Recovery needs nobody.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
LOG_EVERY_SECONDS = 60
# Counters this process keeps while Redis is away, at most this many (oldest windows go first).
LOCAL_COUNTERS = 10_000
_FAILURES = (RedisError, OSError)


class _Health:
    """Whether this process should ask Redis now, and when it last said it could not."""

    def __init__(self):
        self.down_until = 0.0
        self.logged_at = None
        self.lock = threading.Lock()

    def usable(self) -> bool:
        return time.monotonic() >= self.down_until

    def failed(self, error):
        now = time.monotonic()
        with self.lock:
            self.down_until = now + settings.REDIS_RETRY_SECONDS
            if self.logged_at is None or now - self.logged_at >= LOG_EVERY_SECONDS:
                self.logged_at = now
                logger.warning(
                    "The shared cache is unavailable (%s: %s); answering from process memory "
                    "and the database, counting rate limits and usage per process, until it "
                    "answers again.",
                    type(error).__name__,
                    error,
                )

    def answered(self):
        if self.logged_at is not None:
            with self.lock:
                if self.logged_at is not None:
                    self.logged_at = None
                    logger.warning("The shared cache answers again.")


health = _Health()


class _LocalCounters:
    """Counters kept in this process while the shared cache is away."""

    def __init__(self):
        self.values = {}
        self.lock = threading.Lock()

    def add(self, key, amount, ttl) -> int:
        now = time.monotonic()
        with self.lock:
            expires, value = self.values.get(key, (None, 0))
            if key not in self.values or (expires is not None and expires <= now):
                expires, value = (now + ttl if ttl else None), 0
            self.values[key] = (expires, value + amount)
            if len(self.values) > LOCAL_COUNTERS:
                self.values.pop(next(iter(self.values)))
            return value + amount

    def get(self, key):
        entry = self.values.get(key)
        if entry is None or (entry[0] is not None and entry[0] <= time.monotonic()):
            return None
        return entry[1]


local_counters = _LocalCounters()


def _ask(operation, fallback):
    if not health.usable():
        return fallback()
    try:
        result = operation()
    except _FAILURES as error:
        health.failed(error)
        return fallback()
    health.answered()
    return result


def forget():
    """Forget this process's counters and any failure seen (for tests)."""
    with local_counters.lock:
        local_counters.values.clear()
    health.down_until, health.logged_at = 0.0, None


def get(key):
    return _ask(lambda: cache.get(key), lambda: None)


def get_many(keys) -> dict:
    return _ask(lambda: cache.get_many(keys), dict)


def set(key, value, timeout):  # noqa: A001 - the cache's own verb
    _ask(lambda: cache.set(key, value, timeout), lambda: None)


def set_many(mapping, timeout):
    _ask(lambda: cache.set_many(mapping, timeout), lambda: None)


def count(*counters: tuple[str, int | None], amounts: tuple[int, ...] | None = None) -> list[int]:
    """Add one (or the amount at the same place in amounts) to each (key, seconds to keep it)
    counter in one round trip; the new values."""
    amounts = amounts or (1,) * len(counters)
    return _ask(lambda: _count_shared(counters, amounts), lambda: _count_local(counters, amounts))


def add(key, amount: int) -> int | None:
    """Add amount (negative to take away) to an existing counter; None when it is gone."""

    def shared():
        try:
            return cache.incr(key, amount)
        except ValueError:
            return None

    def local():
        return None if local_counters.get(key) is None else local_counters.add(key, amount, None)

    return _ask(shared, local)


def counters(keys) -> dict:
    """The current values of counters, by key; absent ones left out."""
    found = _ask(lambda: cache.get_many(keys), dict)
    for key in keys:
        value = local_counters.get(key)
        if value is not None and key not in found:
            found[key] = value
    return found


# Adds an amount to each key, giving a new key its time to live: every counter in one command.
# ARGV holds each key's seconds to live, then each key's amount.
_COUNT_SCRIPT = """
local values = {}
for i, key in ipairs(KEYS) do
  local amount = tonumber(ARGV[#KEYS + i])
  values[i] = redis.call('INCRBY', key, amount)
  local ttl = tonumber(ARGV[i])
  if ttl > 0 and values[i] == amount then redis.call('EXPIRE', key, ttl) end
end
return values
"""
# The backend the script was made for, and the script (Django makes a client per call).
_script = (None, None)


def _count_shared(counters, amounts) -> list[int]:
    global _script
    backend = caches["default"]
    if not isinstance(backend, RedisCache):
        return [_increment(key, ttl, n) for (key, ttl), n in zip(counters, amounts, strict=True)]
    if _script[0] is not backend:
        client = backend._cache.get_client(write=True)
        _script = (backend, client.register_script(_COUNT_SCRIPT))
    keys = [backend.make_and_validate_key(key) for key, _ttl in counters]
    arguments = [*(ttl or 0 for _key, ttl in counters), *amounts]
    return [int(value) for value in _script[1](keys, arguments)]


def _count_local(counters, amounts) -> list[int]:
    return [
        local_counters.add(key, n, ttl) for (key, ttl), n in zip(counters, amounts, strict=True)
    ]


def _increment(key, ttl, amount) -> int:
    try:
        return cache.incr(key, amount)
    except ValueError:
        if cache.add(key, amount, ttl):
            return amount
        return cache.incr(key, amount)
