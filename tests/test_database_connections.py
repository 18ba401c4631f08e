"""Kept PostgreSQL connections: a health check that costs a round trip only when it must, and
the live-pointer lookup planned once per connection."""

import select
import time

import psycopg
import pytest
from django.db import connection, connections

from conditions.models import Condition
from conditions.pages import PAGE
from publishing import pointers
from tests.library import publish_condition

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's backend (the PostgreSQL run)"
)


@pytest.fixture
def kept(db, settings):
    """A connection of its own to the test database, kept as between two requests."""
    settings.HEALTH_CHECK_IDLE_SECONDS = 10
    wrapper = connections.create_connection("default")
    wrapper.settings_dict.update(CONN_HEALTH_CHECKS=True, CONN_MAX_AGE=60)
    wrapper.ensure_connection()
    yield wrapper
    wrapper.close()


@pytest.fixture
def checks(kept, monkeypatch):
    asked = []
    is_usable = type(kept).is_usable

    def counted(self):
        asked.append(True)
        return is_usable(self)

    monkeypatch.setattr(type(kept), "is_usable", counted)
    return asked


def next_request(wrapper):
    """What Django does between requests, then the next request's first query."""
    wrapper.close_if_unusable_or_obsolete()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 2")
        return cursor.fetchone()[0]


def test_a_connection_used_recently_with_a_quiet_socket_is_not_asked_select_1(kept, checks):
    pid = kept.connection.info.backend_pid
    assert next_request(kept) == 2
    assert next_request(kept) == 2
    assert checks == []
    assert kept.connection.info.backend_pid == pid


def test_a_connection_idle_longer_than_the_limit_is_asked_select_1(kept, checks, settings):
    settings.HEALTH_CHECK_IDLE_SECONDS = 0
    assert next_request(kept) == 2
    assert checks == [True]


def test_a_connection_the_server_ended_is_replaced_before_the_query(kept, checks, db):
    """A terminated backend leaves its goodbye on the socket: the check sees it, the connection
    is replaced, and the request's query succeeds."""
    pid = kept.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    socket = kept.connection.pgconn.socket
    deadline = time.monotonic() + 5
    while not select.select([socket], [], [], 0.05)[0] and time.monotonic() < deadline:
        pass
    assert next_request(kept) == 2
    assert checks == [True]
    assert kept.connection.info.backend_pid != pid


def test_the_live_pointer_lookup_is_a_prepared_statement(people_with_page, settings):
    settings.PAGE_POINTER_SECONDS = 0
    pointers.live_pointer_or_404(Condition, "ocd", PAGE)
    pointers.live_pointer_or_404(Condition, "ocd", PAGE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert len([sql for sql in prepared if "livepublication" in sql]) == 1


def test_prepared_statements_can_be_turned_off(people_with_page, settings):
    """Behind a transaction-mode pooler: DATABASE_PREPARED_STATEMENTS=0."""
    settings.PAGE_POINTER_SECONDS = 0
    settings.DATABASE_PREPARED_STATEMENTS = False
    connection.connection.execute("DEALLOCATE ALL")
    pointers.live_pointer_or_404(Condition, "ocd", PAGE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] == 0


@pytest.fixture
def people_with_page(editor, physician_user, publisher):
    return publish_condition((editor, physician_user, publisher), "ocd", "OCD")


def test_psycopg_is_the_driver():
    """The socket check above reads psycopg 3's connection."""
    assert psycopg.__version__.split(".")[0] == "3"


def test_renderings_are_stored_uncompressed_so_a_cold_read_costs_no_decompression(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'conditions_pagerendering'::regclass AND attname = 'html'"
        )
        assert cursor.fetchone()[0] == "e"
