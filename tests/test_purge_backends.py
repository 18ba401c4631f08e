"""The worker sends each purge to every configured edge cache, retries, and records when all
confirmed (each backend tested against a fake on 127.0.0.1)."""

import logging
import time
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from purges.models import Purge
from purges.tasks import send_purge
from purges.timeline import describe, timeline_entries
from reviews import workflow
from tests.conftest import publish_page
from tests.fake_edge import fake_edge
from tests.nginx import PURGE_MODULE, nginx_in_front_of
from tests.system_tools import free_port, require
from tests.task_worker import DATABASE_TASKS


@pytest.fixture
def edge():
    with fake_edge() as server:
        yield server


@pytest.fixture
def second_edge():
    with fake_edge() as server:
        yield server


def withdraw(page, publisher):
    workflow.unpublish(page, publisher, "Outdated.")
    return Purge.objects.get(reason=Purge.Reason.WITHDRAWN)


def test_varnish_gets_one_purge_naming_the_keys_in_xkey_purge(published, publisher, edge, settings):
    """Varnish (deploy/varnish.vcl) purges by xkey: PURGE / with the keys in one header."""
    settings.PURGE_URLS = [f"varnish+{edge.url}"]
    purge = withdraw(published, publisher)
    assert send_purge.call(purge.pk) is True
    [request] = edge.received
    assert (request.method, request.path) == ("PURGE", "/")
    assert request.headers["xkey-purge"] == f"condition-{published.pk} listings"


def test_nginx_gets_a_purge_per_address_and_a_404_counts_as_purged(
    published, publisher, edge, settings
):
    """The cache-purge module purges by address; nothing cached there is purged already."""
    settings.PURGE_URLS = [f"nginx+{edge.url}"]
    edge.otherwise = (404, "")
    purge = withdraw(published, publisher)
    assert send_purge.call(purge.pk) is True
    paths = [request.path for request in edge.received]
    assert paths == purge.path_list
    assert "/conditions/test-condition/" in paths
    assert "/" in paths


def test_fastly_gets_the_keys_in_surrogate_key_with_the_api_token(
    published, publisher, edge, settings
):
    """Fastly: POST /service/ID/purge, Surrogate-Key and Fastly-Key headers."""
    settings.PURGE_URLS = [f"fastly+{edge.url}/service/SERVICE1"]
    settings.FASTLY_API_TOKEN = "fastly-token"
    purge = withdraw(published, publisher)
    assert send_purge.call(purge.pk) is True
    [request] = edge.received
    assert (request.method, request.path) == ("POST", "/service/SERVICE1/purge")
    assert request.headers["surrogate-key"] == f"condition-{published.pk} listings"
    assert request.headers["fastly-key"] == "fastly-token"


def test_cloudflare_gets_the_tags_as_json_thirty_at_a_time(published, publisher, edge, settings):
    """Cloudflare: POST /zones/ID/purge_cache {"tags": [...]}, bearer token, 30 tags a call."""
    settings.PURGE_URLS = [f"cloudflare+{edge.url}/client/v4/zones/ZONE1"]
    settings.CLOUDFLARE_API_TOKEN = "cf-token"
    purge = Purge.objects.create(
        reason=Purge.Reason.RETRACTED,
        keys=" ".join(f"ref-{n}" for n in range(45)),
        created_at=_now(),
    )
    assert send_purge.call(purge.pk) is True
    assert [r.path for r in edge.received] == ["/client/v4/zones/ZONE1/purge_cache"] * 2
    assert [len(r.json()["tags"]) for r in edge.received] == [30, 15]
    assert edge.received[0].headers["authorization"] == "Bearer cf-token"


def test_a_cloudflare_answer_without_success_is_not_a_confirmation(
    published, publisher, edge, settings
):
    """A 200 whose body says success: false leaves the purge unconfirmed, with the error."""
    settings.PURGE_URLS = [f"cloudflare+{edge.url}/client/v4/zones/ZONE1"]
    edge.otherwise = (200, '{"success": false, "errors": [{"message": "rate limited"}]}')
    purge = withdraw(published, publisher)
    assert send_purge.call(purge.pk) is False
    purge.refresh_from_db()
    assert purge.confirmed_at is None
    assert "rate limited" in purge.last_error


def test_a_failing_cache_is_retried_and_one_that_confirmed_is_not_asked_again(
    published, publisher, edge, second_edge, settings, django_capture_on_commit_callbacks
):
    """One cache answers 503 first: a retry is queued; the next attempt asks only that cache."""
    settings.TASKS = DATABASE_TASKS
    settings.PURGE_URLS = [f"varnish+{edge.url}", f"varnish+{second_edge.url}"]
    second_edge.answers = [(503, "busy")]
    purge = withdraw(published, publisher)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_purge.call(purge.pk) is False
    assert DBTaskResult.objects.filter(task_path__endswith="send_purge").count() == 1
    assert send_purge.call(purge.pk) is True
    assert (len(edge.received), len(second_edge.received)) == (1, 2)
    purge.refresh_from_db()
    assert purge.attempts == 2
    assert set(purge.confirmed_by) == {f"varnish {edge.url}", f"varnish {second_edge.url}"}


def test_a_cache_that_never_confirms_is_given_up_logged_and_shown(
    published, publisher, edge, settings, caplog
):
    """After the last retry the purge is abandoned, logged as an error, and on the timeline."""
    settings.TASKS = DATABASE_TASKS
    settings.PURGE_URLS = [f"varnish+{edge.url}"]
    settings.PURGE_RETRY_SECONDS = [0]
    edge.otherwise = (500, "broken")
    purge = withdraw(published, publisher)
    with caplog.at_level(logging.WARNING, logger="purges.tasks"):
        send_purge.call(purge.pk)
        send_purge.call(purge.pk)
    purge.refresh_from_db()
    assert purge.abandoned_at is not None
    assert any(r.levelname == "ERROR" and "Gave up" in r.message for r in caplog.records)
    [entry] = timeline_entries(published)
    assert "Not every cache confirmed the purge after 2 attempts" in describe(entry["purge"])


def test_the_timeline_says_how_long_the_page_took_to_leave_every_cache(
    admin_client, published, publisher, edge, second_edge, settings
):
    """ "Gone from every cache after 0.0 s (2 confirmed)" on the page's timeline."""
    settings.PURGE_URLS = [f"varnish+{edge.url}", f"nginx+{second_edge.url}"]
    purge = withdraw(published, publisher)
    send_purge.call(purge.pk)
    response = admin_client.get(f"/admin/conditions/condition/{published.pk}/timeline/")
    text = response.content.decode()
    assert "Gone from every cache after " in text
    assert "s (2 confirmed)" in text


def test_a_purge_url_of_an_unknown_kind_is_refused(settings):
    """PURGE_URLS names the kind of each cache; a typo is a configuration error."""
    from django.core.exceptions import ImproperlyConfigured

    from purges import backends

    settings.PURGE_URLS = ["squid+http://127.0.0.1:3128"]
    with pytest.raises(ImproperlyConfigured, match="squid"):
        backends.configured()


def _now():
    from django.utils import timezone

    return timezone.now()


def test_a_purge_is_sent_again_once_settled_to_catch_a_fetch_that_raced_the_change(
    published, publisher, edge, settings
):
    """With PURGE_SETTLE_SECONDS, every cache gets the purge twice before it counts as done."""
    settings.PURGE_URLS = [f"varnish+{edge.url}"]
    settings.PURGE_SETTLE_SECONDS = 0.05
    purge = withdraw(published, publisher)
    assert send_purge.call(purge.pk) is True
    assert len(edge.received) == 2


def test_the_settling_send_is_queued_for_later_so_the_worker_never_waits_on_it(
    published, publisher, edge, second_edge, settings, django_capture_on_commit_callbacks
):
    """With a worker, the first send returns at once and queues the second for
    PURGE_SETTLE_SECONDS later; the purge is confirmed only when that one is through."""
    settings.TASKS = DATABASE_TASKS
    settings.PURGE_URLS = [f"varnish+{edge.url}", f"varnish+{second_edge.url}"]
    settings.PURGE_SETTLE_SECONDS = 30
    purge = withdraw(published, publisher)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_purge.call(purge.pk) is False
    assert time.monotonic() - started < 5
    purge.refresh_from_db()
    assert purge.confirmed_at is None
    assert (len(edge.received), len(second_edge.received)) == (1, 1)
    [settle] = DBTaskResult.objects.filter(task_path__endswith="send_purge")
    assert settle.args_kwargs == {"args": [purge.pk], "kwargs": {"settling": True}}
    assert 25 < (settle.run_after - timezone.now()).total_seconds() <= 30
    # The settling send goes to every cache again, then the purge is confirmed.
    assert send_purge.call(purge.pk, settling=True) is True
    assert (len(edge.received), len(second_edge.received)) == (2, 2)
    purge.refresh_from_db()
    assert purge.confirmed_at is not None
    assert purge.attempts == 1


def test_a_second_send_that_comes_early_waits_out_the_settling_time(
    published, publisher, edge, settings, django_capture_on_commit_callbacks
):
    """send_purges, or a task finding the first send done, still leaves PURGE_SETTLE_SECONDS
    between the two sends before the purge counts as confirmed."""
    settings.TASKS = DATABASE_TASKS
    settings.PURGE_URLS = [f"varnish+{edge.url}"]
    settings.PURGE_SETTLE_SECONDS = 0.5
    purge = withdraw(published, publisher)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_purge.call(purge.pk) is False
    started = time.monotonic()
    assert send_purge.call(purge.pk) is True
    assert time.monotonic() - started >= 0.4
    assert len(edge.received) == 2


def test_the_caches_are_asked_side_by_side(published, publisher, settings):
    """Two slow caches cost the time of one, not of both."""
    with fake_edge() as slow, fake_edge() as also_slow:
        slow.delay = also_slow.delay = 0.5
        settings.PURGE_URLS = [f"varnish+{slow.url}", f"varnish+{also_slow.url}"]
        purge = withdraw(published, publisher)
        started = time.monotonic()
        assert send_purge.call(purge.pk) is True
        took = time.monotonic() - started
    assert (len(slow.received), len(also_slow.received)) == (1, 1)
    assert took < 0.9


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_shipped_nginx_purge_configuration_drops_a_withdrawn_page(
    live_server, settings, editor, physician_user, publisher
):
    """deploy/nginx.conf keeps the page; deploy/nginx-purge.conf, purged, lets the 404 through."""
    require("nginx", "nginx", also=("/usr/sbin/nginx",))
    if not Path(PURGE_MODULE).exists():
        require("cache-purge module", "libnginx-mod-http-cache-purge")
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    settings.TASKS = DATABASE_TASKS  # queued, sent below by hand
    page = publish_page(editor, physician_user, publisher, "ocd")
    purge_port = free_port()
    with nginx_in_front_of(live_server.url, purge_port=purge_port) as port:
        url = f"http://127.0.0.1:{port}/conditions/ocd/"
        assert [_through(url)[1] for _ in range(2)] == ["MISS", "HIT"]
        settings.SITE_URL = f"http://127.0.0.1:{port}"
        settings.PURGE_URLS = [f"nginx+http://127.0.0.1:{purge_port}"]
        purge = withdraw(page, publisher)
        assert _through(url) == (200, "HIT")  # nginx still has it
        assert send_purge.call(purge.pk) is True
        assert _through(url)[0] == 404


def _through(url):
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - loopback only
            return answer.status, answer.headers.get("X-Cache-Status")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Cache-Status")
