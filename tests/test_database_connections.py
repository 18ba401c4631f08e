"""Kept PostgreSQL connections: a health check that costs a round trip only when it must, and
the live-pointer lookup planned once per connection."""

import select
import time
from datetime import UTC, datetime

import psycopg
import pytest
from django.db import DataError, connection, connections

from conditions.models import Condition
from conditions.pages import PAGE
from publishing import pointers
from tests.library import publish_condition

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's backend (the PostgreSQL run)"
)


# Public answers read outside any transaction: so do these tests (the migrations' data kept).
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)


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


@committed
def test_the_live_pointer_lookup_is_a_prepared_statement(people_with_page, settings):
    settings.PAGE_POINTER_SECONDS = 0
    first = pointers.live_pointer_or_404(Condition, "ocd", PAGE)
    again = pointers.live_pointer_or_404(Condition, "ocd", PAGE)
    assert again == first
    assert again.body == first.body
    assert len([sql for sql in _prepared(connection) if "livepublication" in sql]) == 1


@committed
def test_prepared_statements_can_be_turned_off(people_with_page, settings):
    """Behind a transaction-mode pooler: DATABASE_PREPARED_STATEMENTS=0."""
    settings.PAGE_POINTER_SECONDS = 0
    settings.DATABASE_PREPARED_STATEMENTS = False
    connection.connection.execute("DEALLOCATE ALL")
    pointer = pointers.live_pointer_or_404(Condition, "ocd", PAGE)
    assert b"OCD" in pointer.body
    assert _prepared(connection) == []


@committed
def test_a_lookup_deallocated_behind_its_back_is_prepared_again(people_with_page, settings):
    """A pooler's DISCARD ALL, or anyone's DEALLOCATE ALL, costs the next lookup one more
    round trip, not an error."""
    settings.PAGE_POINTER_SECONDS = 0
    before = pointers.live_pointer_or_404(Condition, "ocd", PAGE)
    connection.connection.execute("DEALLOCATE ALL")
    assert pointers.live_pointer_or_404(Condition, "ocd", PAGE) == before
    assert len([sql for sql in _prepared(connection) if "livepublication" in sql]) == 1


ROW_SQL = (
    "SELECT %s::int8, %s::int4, %s::varchar, %s::text, %s::timestamptz, NULL::text, "
    "NULL::timestamptz"
)
ROW_PARAMS = [2**40, -7, "Trastorno obsesivo–compulsivo", "déjà vu ✓", "2026-06-02 09:15:30.1+02"]


def test_a_row_read_through_libpq_is_the_row_the_cursor_reads(kept):
    """Integers, varchar as text, text as UTF-8 bytes, timestamps aware in UTC, NULL as None:
    the same through libpq (public answers) and through Django's cursor (queries logged)."""
    quick = kept.serving_row(ROW_SQL, ROW_PARAMS)
    kept.force_debug_cursor = True
    logged = kept.serving_row(ROW_SQL, ROW_PARAMS)
    assert kept.queries_log[-1]["sql"].startswith("SELECT")
    assert (
        quick
        == logged
        == (
            2**40,
            -7,
            "Trastorno obsesivo–compulsivo",
            "déjà vu ✓".encode(),
            datetime(2026, 6, 2, 7, 15, 30, 100000, tzinfo=UTC),
            None,
            None,
        )
    )
    assert kept.serving_row(ROW_SQL + " WHERE false", ROW_PARAMS) is None


def test_a_column_of_a_type_it_cannot_read_is_refused_by_name(kept):
    with pytest.raises(TypeError, match=r"Column 2 \(price\).*oid 1700"):
        kept.serving_row("SELECT 1::int8 AS id, 2.5::numeric AS price", [])


def test_a_failing_statement_raises_djangos_error_and_the_connection_goes_on(kept):
    with pytest.raises(DataError, match="division by zero"):
        kept.serving_row("SELECT 1 / %s::int4", [0])
    assert kept.serving_row("SELECT 1 / %s::int4", [1]) == (1,)


def test_inside_a_transaction_the_row_is_read_in_it(kept):
    """Where psycopg may still have to begin the transaction, the row is read through it."""
    setting = "SELECT current_setting('application_name')::varchar"
    kept.set_autocommit(False)
    try:
        assert kept.serving_row(setting, []) != ("inside",)
        # The read began the transaction, as any read of Django's would.
        assert kept.connection.pgconn.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        with kept.cursor() as cursor:
            cursor.execute("SET LOCAL application_name = 'inside'")
        assert kept.serving_row(setting, []) == ("inside",)
    finally:
        kept.rollback()
        kept.set_autocommit(True)
    assert kept.serving_row(setting, []) != ("inside",)


def _prepared(wrapper) -> list[str]:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


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
