"""When Redis fails or hangs, pages and the API go on: a cache miss, not an error.

Each test starts a redis-server of its own on a free port, then hangs it (SIGSTOP) and kills it
while requests run against the live server, and restarts it: every answer is a 200 within a
bounded time, the failure is logged (once), and the cache is used again once Redis is back.
"""

import logging
import threading
import time
import urllib.request

import pytest

from partners.accounts import create_partner
from tests.redis_server import RedisServer

# The live server needs committed rows; the editorial groups the migrations made stay.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
# Redis's timeout is 0.1 s; the rest is a loaded test machine answering a page.
BOUND_SECONDS = 3.0
URLS = [
    "/conditions/treatment-resistant-ocd/",
    "/conditions/",
    "/treatments/clomipramine/",
    "/search/?q=ocd",
    "/api/v1/conditions/treatment-resistant-ocd/",
    "/api/v1/conditions/?page_size=5",
    "/api/v1/treatments/",
]


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path).start()
    yield server
    server.kill()


@pytest.fixture
def site(live_server, redis_server, settings):
    """The demo library on a live server whose cache is the test's own Redis."""
    from conditions.demo_content import load_demo

    settings.DEBUG = True
    load_demo()
    settings.DEBUG = False
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "outage-test",
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
    settings.REDIS_RETRY_SECONDS = 0.5
    # Pointers remembered, pages not: every page asks the shared cache for its rendering.
    settings.PAGE_POINTER_SECONDS = 60
    settings.PAGE_MEMORY_CACHE_ENTRIES = 0
    _, key = create_partner("Acme", rate_limit_per_minute=1_000_000)
    return live_server.url, key


class Load:
    """Requests in a loop, in a thread, recording each status and how long it took."""

    def __init__(self, base, key):
        self.base, self.key, self.answers = base, key, []
        self.running = True
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while self.running:
            for path in URLS:
                self.answers.append(fetch(self.base + path, self.key))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join(timeout=30)


def fetch(url, key) -> tuple[str, int, float]:
    request = urllib.request.Request(url, headers={"X-API-Key": key})  # noqa: S310 - loopback
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return url, status, time.monotonic() - started


def assert_all_answered(answers):
    assert answers, "no request ran"
    failed = [(url, status) for url, status, _ in answers if status != 200]
    assert not failed, failed[:5]
    slowest = max(answers, key=lambda answer: answer[2])
    assert slowest[2] < BOUND_SECONDS, slowest


def test_hanging_killing_and_restarting_redis_never_fails_a_request(site, redis_server, caplog):
    """SIGSTOP, SIGKILL, restart: 200s throughout, one log line per outage, Redis used again."""
    base, key = site
    caplog.set_level(logging.WARNING, logger="tovani.shared_cache")
    with Load(base, key) as load:
        time.sleep(1)
        assert redis_server.keys("outage-test:*partners:rate*"), "Redis was not in use"
        redis_server.hang()
        time.sleep(2)
        redis_server.resume()
        redis_server.kill()
        time.sleep(2)
        redis_server.start()
        time.sleep(2)
    assert_all_answered(load.answers)
    assert len(load.answers) > len(URLS) * 3
    messages = [record.getMessage() for record in caplog.records]
    unavailable = [m for m in messages if "shared cache is unavailable" in m]
    assert unavailable, messages  # the outage is logged...
    assert len(unavailable) <= 2, messages  # ...once a minute at most, not once a request
    assert "The shared cache answers again." in messages
    # Back in use: the restarted, empty Redis holds counters and renderings again.
    assert redis_server.keys("outage-test:*partners:rate*")


def test_with_redis_gone_the_rate_limit_still_holds_per_process(site, redis_server, settings):
    """Counting moves to the process's memory: a partner over its limit still gets 429."""
    base, _ = site
    _, small = create_partner("Small", rate_limit_per_minute=3)
    redis_server.kill()
    statuses = [
        fetch(f"{base}/api/v1/conditions/treatment-resistant-ocd/", small)[1] for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]


def test_a_hung_redis_costs_a_request_at_most_its_timeout_then_nothing(site, redis_server):
    """The first request after Redis hangs waits 0.1 s per ask at most; the next ones skip it."""
    base, key = site
    url = f"{base}/api/v1/conditions/treatment-resistant-ocd/"
    fetch(url, key)
    redis_server.hang()
    try:
        first = fetch(url, key)
        following = [fetch(url, key) for _ in range(5)]
    finally:
        redis_server.resume()
    assert first[1] == 200
    assert first[2] < 1.0
    assert all(status == 200 and elapsed < 0.5 for _, status, elapsed in following), following
