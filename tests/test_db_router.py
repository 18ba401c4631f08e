"""Public reads go to a replica that has replayed the last change; everything else, and any
doubt, to the primary. (The cluster test runs the same rules against a real streaming replica.)"""

import logging

import pytest
from django.core.cache import cache
from django.db import router
from django.http import HttpResponse
from django.test import RequestFactory

from partners.models import Partner
from reviews.models import LivePublication
from tovani import replicas, shared_cache


@pytest.fixture
def replica(settings, monkeypatch):
    """One replica whose replay position the test sets; the fence at 0/100."""
    settings.DATABASE_REPLICAS = ["replica1"]
    settings.REPLICA_MAX_WAIT_MS = 20
    position = {"replica1": replicas.lsn("0/100")}
    monkeypatch.setattr(replicas, "_replayed", lambda alias: position[alias])
    shared_cache.set(replicas.FENCE_KEY, "0/100", 60)
    replicas.forget()
    yield position
    replicas.forget()


def read_alias(path="/conditions/ocd/", method="get", model=LivePublication, before=None, **extra):
    """The database a read of model uses inside a request to path."""
    chosen = []

    def view(request):
        if before:
            before()
        chosen.append(router.db_for_read(model))
        return HttpResponse()

    request = getattr(RequestFactory(), method)(path, **extra)
    response = replicas.ReplicaMiddleware(view)(request)
    return chosen[0], response


def test_a_public_read_uses_a_replica_that_has_replayed_the_fence(replica):
    """A visitor's GET of a page reads the replica."""
    assert read_alias()[0] == "replica1"


def test_reads_outside_a_request_use_the_primary(replica):
    """The worker, commands and every workflow step outside a request read the primary."""
    assert router.db_for_read(LivePublication) == "default"


def test_a_read_inside_a_transaction_uses_the_primary(replica, db):
    """Inside a transaction (every workflow step runs in one) the primary answers."""
    assert read_alias()[0] == "default"


def test_after_a_write_the_rest_of_the_request_reads_the_primary(replica):
    """The live pointer never comes from a replica after the same request wrote."""
    assert read_alias(before=lambda: router.db_for_write(LivePublication))[0] == "default"


def test_the_admin_and_rows_outside_the_public_read_path_use_the_primary(replica):
    """Only public content is read from replicas; the admin never."""
    assert read_alias("/admin/conditions/condition/")[0] == "default"
    assert read_alias(model=Partner)[0] == "default"


def test_a_visitor_who_wrote_reads_the_primary_for_a_few_seconds(replica, settings):
    """A POST sets a cookie for REPLICA_PIN_SECONDS; requests carrying it read the primary."""
    alias, response = read_alias("/report/1/", method="post")
    assert alias == "default"
    cookie = response.cookies[replicas.PIN_COOKIE]
    assert cookie["max-age"] == settings.REPLICA_PIN_SECONDS
    assert read_alias(HTTP_COOKIE=f"{replicas.PIN_COOKIE}=1")[0] == "default"


def test_a_lagging_replica_is_waited_for_briefly_then_the_primary_reads_and_it_is_logged(
    replica, caplog
):
    """Behind the fence past REPLICA_MAX_WAIT_MS: the primary, and a warning naming the lag."""
    replica["replica1"] = replicas.lsn("0/80")
    with caplog.at_level(logging.WARNING, logger="tovani.replicas"):
        assert read_alias()[0] == "default"
    assert "lag behind 0/100" in caplog.text


def test_a_replica_that_catches_up_within_the_wait_is_used(replica, monkeypatch):
    """The replay position is asked again until the bounded wait runs out."""
    answers = iter([replicas.lsn("0/80"), replicas.lsn("0/100")])
    monkeypatch.setattr(replicas, "_replayed", lambda alias: next(answers))
    assert read_alias()[0] == "replica1"


def test_a_replica_that_is_down_is_left_alone_and_the_primary_reads(replica, monkeypatch):
    """A replica that cannot be reached is skipped for REPLICA_RETRY_SECONDS."""
    asked = []

    def unreachable(alias):
        asked.append(alias)
        replicas.mark_down(alias, "connection refused")

    monkeypatch.setattr(replicas, "_replayed", unreachable)
    assert read_alias()[0] == "default"
    assert read_alias()[0] == "default"
    assert asked == ["replica1"]


def test_without_a_known_fence_the_primary_reads(replica):
    """Redis away (or no change recorded yet): no replica can be shown current."""
    cache.delete(replicas.FENCE_KEY)
    assert read_alias()[0] == "default"


def test_without_replicas_configured_everything_reads_the_primary(settings):
    """The default deployment: one database."""
    settings.DATABASE_REPLICAS = []
    assert read_alias()[0] == "default"


def test_wal_positions_compare_as_numbers():
    """16/B374D848 is past 9/FFFFFFFF."""
    assert replicas.lsn("16/B374D848") > replicas.lsn("9/FFFFFFFF")
