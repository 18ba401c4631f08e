"""Which database a public read may use: a replica that has replayed every change the public
must see, else the primary.

Replicas (DATABASE_REPLICA_URLS) serve only the public read path: GET and HEAD requests outside
the admin, from a visitor who has not written in the last REPLICA_PIN_SECONDS, outside any
transaction, and until the request itself writes. Everything else (the admin, the workflow,
the worker, commands) reads the primary.

A replica may lag. Every change that purges caches (publish, withdrawal, retraction, profile
and treatment edits; purges.outbox) records the primary's WAL position after it commits, in the
shared cache: the *fence*. The worker records it again before it sends the purge. A request
reads a replica only once the replica has replayed up to the fence, waiting at most
REPLICA_MAX_WAIT_MS for it; past that, or when the replica is down, or when the fence cannot be
read (Redis away), it reads the primary, and the log says why (at most once a minute per cause).
So no cache that fetches again after a purge is ever handed the page the purge removed, and no
page carries a stamp older than the last publish.
"""

import contextlib
import contextvars
import logging
import random
import threading
import time

from django.conf import settings
from django.db import DatabaseError, connections, transaction

from tovani import shared_cache
from tovani.env import env_str

logger = logging.getLogger(__name__)

PRIMARY = "default"
FENCE_KEY = "replicas:fence"
FENCE_SECONDS = 7 * 24 * 60 * 60
PIN_COOKIE = "tovani_primary"
LOG_EVERY_SECONDS = 60
_SAFE = ("GET", "HEAD", "OPTIONS")


class _Reads:
    """One request's reading: whether it may use a replica, and which it chose."""

    def __init__(self):
        self.wrote = False
        self.alias = None


_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar("reads", default=None)
_down_until: dict[str, float] = {}
_logged_at: dict[str, float] = {}
_lock = threading.Lock()


def aliases() -> list[str]:
    return list(settings.DATABASE_REPLICAS)


class ReplicaMiddleware:
    """Opens the public read path for the requests that may take it; pins writers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not aliases() or not _may_read_replica(request):
            return self._pinned(request)
        token = _reads.set(_Reads())
        try:
            return self.get_response(request)
        finally:
            _reads.reset(token)

    def _pinned(self, request):
        response = self.get_response(request)
        if aliases() and request.method not in _SAFE:
            # This visitor's next requests read what they just wrote, whatever a replica says.
            response.set_cookie(
                PIN_COOKIE, "1", max_age=settings.REPLICA_PIN_SECONDS, httponly=True, samesite="Lax"
            )
        return response


def _may_read_replica(request) -> bool:
    admin = "/" + env_str("ADMIN_PATH", "admin/").lstrip("/")
    return (
        request.method in _SAFE
        and not request.path.startswith(admin)
        and PIN_COOKIE not in request.COOKIES
    )


def for_read() -> str:
    """The alias a read of public content uses now."""
    reads = _reads.get()
    if reads is None or reads.wrote or connections[PRIMARY].in_atomic_block:
        return PRIMARY
    if reads.alias is None:
        reads.alias = _caught_up_replica() or PRIMARY
    return reads.alias


def wrote() -> None:
    """The request wrote: the rest of it reads the primary."""
    reads = _reads.get()
    if reads is not None:
        reads.wrote = True


def fence() -> None:
    """Record the primary's WAL position: replicas are read again once they replay it."""
    if not aliases():
        return
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            position = cursor.fetchone()[0]
    except DatabaseError:
        logger.exception("Could not read the primary's WAL position for the replica fence.")
        return
    # Never moves back: a slower process recording an older position leaves the newer one.
    current = shared_cache.get(FENCE_KEY)
    if current is None or lsn(position) > lsn(current):
        shared_cache.set(FENCE_KEY, position, FENCE_SECONDS)


def fence_on_commit() -> None:
    if aliases():
        transaction.on_commit(fence)


def lsn(text: str) -> int:
    """A WAL position ("16/B374D848") as a number."""
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def _caught_up_replica() -> str | None:
    fence_text = shared_cache.get(FENCE_KEY)
    if fence_text is None:
        _log("fence", "The replica fence is unknown (Redis away, or no change yet): primary.")
        return None
    candidates = [alias for alias in aliases() if _down_until.get(alias, 0) <= time.monotonic()]
    random.shuffle(candidates)
    deadline = time.monotonic() + settings.REPLICA_MAX_WAIT_MS / 1000
    target = lsn(fence_text)
    while candidates:
        for alias in list(candidates):
            replayed = _replayed(alias)
            if replayed is None:
                candidates.remove(alias)
            elif replayed >= target:
                return alias
        if time.monotonic() >= deadline:
            behind = ", ".join(candidates)
            _log("lag", f"Replicas {behind} lag behind {fence_text}; reading the primary.")
            return None
        time.sleep(0.005)
    return None


def _replayed(alias: str) -> int | None:
    """How far alias has replayed, or None when it cannot be reached (then left alone a while)."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
            position = cursor.fetchone()[0]
    except DatabaseError as error:
        with contextlib.suppress(DatabaseError):
            connections[alias].close()
        mark_down(alias, error)
        return None
    return lsn(position) if position else None


def mark_down(alias, error) -> None:
    """Leave alias alone for REPLICA_RETRY_SECONDS, and say why."""
    with _lock:
        _down_until[alias] = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    _log(f"down:{alias}", f"Replica {alias} cannot be read ({error}); reading the primary.")


def _log(cause: str, message: str) -> None:
    now = time.monotonic()
    with _lock:
        last = _logged_at.get(cause)
        if last is not None and now - last < LOG_EVERY_SECONDS:
            return
        _logged_at[cause] = now
    logger.warning(message)


def forget() -> None:
    """Forget which replicas were down and what was logged (tests)."""
    _down_until.clear()
    _logged_at.clear()
