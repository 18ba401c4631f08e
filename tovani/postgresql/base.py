"""Django's PostgreSQL backend, with a health check that costs no round trip when it can, and
prepared statements for the few queries every public answer runs.

Django's health check sends `SELECT 1` before the first query of every request that reuses a
kept connection: for a page that needs one query, a second round trip. A kept connection the
server has closed (a restart, a terminated backend, an idle timeout) has something waiting on
its socket: the server's goodbye, or the end of the stream. So a connection used within the last
HEALTH_CHECK_IDLE_SECONDS whose socket has nothing to read is known to be alive, and only one
that has been idle longer, or that has something waiting, is asked with `SELECT 1`.

`serving_row()` is the live-pointer lookup every public answer makes: one indexed row, whose
planning, not running, is most of its cost, so it is prepared once per connection. Django
leaves prepared statements off (they break behind a transaction-mode connection pooler), and so
does psycopg here (it prepares nothing: it would deallocate every statement of the session,
this one too, at a rollback); DATABASE_PREPARED_STATEMENTS=0 turns this one off too.

Its row holds a stored rendering of tens of kilobytes that the answer sends as it is stored, so
text comes back as the UTF-8 bytes PostgreSQL sent (no decoding into a string, and no encoding
back), in the binary format. It is read through libpq (tovani.postgresql.serving): Django's
cursor wrapper and psycopg's cursor cost more than the row when it needs nothing they do.
Through them, unprepared, with the same types, when they have work: queries are being logged
(DEBUG, or a test counting them), an execute wrapper is installed, or a transaction is open.
"""

import select
import time

from django.conf import settings
from django.db.backends.postgresql import base
from psycopg import Cursor
from psycopg.adapt import Loader
from psycopg.pq import Format

from tovani.postgresql import serving


class DatabaseWrapper(base.DatabaseWrapper):
    last_used = 0.0
    _prepared_rows = None

    def connect(self):
        super().connect()
        self.last_used = time.monotonic()

    def close_if_health_check_failed(self):
        if self.connection is not None and self.health_check_enabled and not self.health_check_done:
            now = time.monotonic()
            idle, self.last_used = now - self.last_used, now
            if idle < settings.HEALTH_CHECK_IDLE_SECONDS and not self._server_has_spoken():
                self.health_check_done = True
        super().close_if_health_check_failed()

    def _server_has_spoken(self) -> bool:
        """Whether anything waits on an idle connection's socket (a notice, an error, EOF)."""
        try:
            descriptor = self.connection.pgconn.socket
            readable, _, _ = select.select([descriptor], [], [], 0)
        except Exception:
            return True
        return bool(readable)

    def serving_row(self, sql: str, params) -> tuple | None:
        """The one row of a prepared statement: integers, varchar as str, text as UTF-8 bytes,
        timestamps aware in UTC."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        if self.queries_logged or self.execute_wrappers or not serving.usable(self.connection):
            with self.wrap_database_errors:
                cursor = self._prepare_cursor(_BinaryCursor(self.connection))
            with cursor:
                _text_as_bytes(cursor.cursor)
                cursor.execute(sql, params)
                return cursor.fetchone()
        self.validate_no_broken_transaction()
        rows = self._prepared_rows
        if rows is None or rows.connection is not self.connection:
            rows = self._prepared_rows = serving.PreparedRows(self.connection)
        with self.wrap_database_errors:
            return rows.row(sql, params)


class _BinaryCursor(base.CursorMixin, Cursor):
    """Binds parameters on the server and reads results in the binary format."""

    def execute(self, query, params=None, *, prepare=False, binary=True):
        return super().execute(query, params, prepare=prepare, binary=binary)


class _Utf8Bytes(Loader):
    """text as PostgreSQL sent it: UTF-8, the client encoding Django sets on every connection."""

    format = Format.BINARY

    def load(self, data) -> bytes:
        return bytes(data)


def _text_as_bytes(cursor):
    cursor.adapters.register_loader("text", _Utf8Bytes)
    return cursor
