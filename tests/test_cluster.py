"""The local cluster (deploy/cluster.py): a publish shows and a withdrawal goes at Varnish and
both nodes, a retracted reference's page goes, a paused replica serves nothing withdrawn or
stale, and a stopped replica leaves pages answering.

It starts PostgreSQL (primary and streaming replica), Redis, two gunicorn nodes, the task worker
and Varnish of its own on free ports, and stops them all; it needs no test database.
"""

import importlib.util
import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.system_tools import require

CLUSTER = Path(__file__).resolve().parent.parent / "deploy" / "cluster.py"
# A change shows everywhere, and every cache confirms a withdrawal, within this: p99 over the
# tries.
BOUND_SECONDS = 1.0
# Connections to the replica whose last statement was the live-pointer lookup.
POINTER_READERS = (
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() "
    "AND query LIKE '%reviews_livepublication%'"
)


def _cluster_module():
    spec = importlib.util.spec_from_file_location("tovani_cluster", CLUSTER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cluster():
    require("varnishd", "varnish", also=("/usr/sbin/varnishd",))
    require("pg_basebackup", "postgresql")
    require("redis-server", "redis-server")
    # The retraction drill measures a withdrawal: the cluster runs the "withdraw" policy.
    previous = os.environ.get("RETRACTED_PAGES")
    os.environ["RETRACTED_PAGES"] = "withdraw"
    running = _cluster_module().Cluster().start()
    try:
        yield running
    finally:
        running.stop()
        if previous is None:
            os.environ.pop("RETRACTED_PAGES", None)
        else:
            os.environ["RETRACTED_PAGES"] = previous
        assert not running.work.exists()


def drill(cluster, *extra) -> dict:
    bases = [cluster.varnish_url, *cluster.node_urls()]
    through = [arg for base in bases for arg in ("--through", base)]
    return json.loads(cluster.manage("recall_drill", *through, *extra).splitlines()[-1])


def p99(values) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - loopback only
            return answer.status, dict(answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_a_publish_shows_and_a_withdrawal_goes_at_varnish_and_both_nodes(cluster):
    """20 tries: each publish visible everywhere, each withdrawal gone everywhere and confirmed
    gone by every cache, p99 bounded; after the confirmation no address serves the page."""
    found = drill(cluster, "--tries", "20")
    print("publish visible p99", p99(found["publish_visible"]), "s")
    print("withdrawal gone p99", p99(found["withdrawal_gone"]), "s")
    print("withdrawal confirmed p99", p99(found["withdrawal_confirmed"]), "s")
    print("every purge confirmed p99", p99(found["confirmed"]), "s")
    assert len(found["withdrawal_gone"]) == len(found["withdrawal_confirmed"]) == 20
    assert found["served_after_confirmation"] == []
    assert p99(found["publish_visible"]) <= BOUND_SECONDS
    assert p99(found["withdrawal_gone"]) <= BOUND_SECONDS
    assert p99(found["withdrawal_confirmed"]) <= BOUND_SECONDS


def test_varnish_serves_a_page_from_its_cache_with_its_keys_stripped(cluster):
    """The second request is a HIT; xkey stays inside Varnish, Surrogate-Key reaches clients."""
    url = f"{cluster.varnish_url}/conditions/treatment-resistant-ocd/"
    get(url)
    status, headers = get(url)
    assert status == 200
    assert headers["X-Cache"] == "HIT"
    assert "xkey" not in {name.lower() for name in headers}
    assert "listings" not in headers["Surrogate-Key"]


def test_a_retracted_reference_takes_its_page_off_varnish_and_both_nodes(cluster):
    """Retracting the reference the page cites withdraws it, and every cache drops it."""
    found = drill(cluster, "--tries", "2", "--retraction")
    assert len(found["withdrawal_gone"]) == 2
    assert found["served_after_confirmation"] == []


def test_with_replication_paused_nothing_withdrawn_or_stale_is_served(cluster):
    """The replica stops replaying: new versions and withdrawals still show at once."""
    cluster.sql("replica", "SELECT pg_wal_replay_pause()")
    try:
        found = drill(cluster, "--tries", "3")
        assert cluster.sql("replica", "SELECT pg_is_wal_replay_paused()") == "t"
    finally:
        cluster.sql("replica", "SELECT pg_wal_replay_resume()")
    assert len(found["withdrawal_gone"]) == 3
    assert found["served_after_confirmation"] == []
    assert "lag behind" in cluster.log("node1") + cluster.log("node2")


def test_nodes_read_the_replica_when_it_is_current(cluster):
    """Public reads reach the replica: connections there ran the live-pointer lookup."""
    for node in cluster.node_urls():
        for _ in range(5):
            assert get(f"{node}/conditions/treatment-resistant-ocd/")[0] == 200
    assert int(cluster.sql("replica", POINTER_READERS)) > 0


def test_with_the_replica_stopped_pages_still_answer(cluster):
    """The nodes notice the replica is gone, log it and read the primary."""
    cluster.stop_replica()
    for node in cluster.node_urls():
        for _ in range(3):
            assert get(f"{node}/conditions/treatment-resistant-ocd/")[0] == 200
    found = drill(cluster, "--tries", "1")
    assert len(found["withdrawal_gone"]) == 1
    assert "cannot be read" in cluster.log("node1") + cluster.log("node2")
