"""Django's PostgreSQL backend, with a health check that costs no round trip when it can, and
prepared statements for the few queries every public answer runs.

Django's health check sends `SELECT 1` before the first query of every request that reuses a
kept connection: for a page that needs one query, a second round trip. A kept connection the
server has closed (a restart, a terminated backend, an idle timeout) has something waiting on
its socket: the server's goodbye, or the end of the stream. So a connection used within the last
HEALTH_CHECK_IDLE_SECONDS whose socket has nothing to read is known to be alive, and only one
that has been idle longer, or that has something waiting, is asked with `SELECT 1`.

Planning, not running, is most of the cost of the live-pointer lookup (one indexed row): a
statement prepared once per connection is planned once. Django leaves prepared statements off
(they break behind a transaction-mode connection pooler), so only `prepared_cursor()` uses them,
and DATABASE_PREPARED_STATEMENTS=0 turns that off too.
"""

import select
import time

from django.conf import settings
from django.db.backends.postgresql import base
from psycopg import Cursor


class DatabaseWrapper(base.DatabaseWrapper):
    last_used = 0.0

    def connect(self):
        super().connect()
        self.last_used = time.monotonic()

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if connection.prepare_threshold is None and settings.DATABASE_PREPARED_STATEMENTS:
            # psycopg prepares nothing with no threshold, not even when asked to. Django's
            # cursors bind on the client and never prepare; a threshold no statement reaches
            # leaves them so, and lets prepared_cursor() ask.
            connection.prepare_threshold = 2**31 - 1
        return connection

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

    def prepared_cursor(self):
        """A cursor whose statements the server plans once per connection."""
        if not settings.DATABASE_PREPARED_STATEMENTS:
            return self.cursor()
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(PreparingCursor(self.connection))


class PreparingCursor(base.CursorMixin, Cursor):
    """Binds parameters on the server and prepares every statement it runs."""

    def execute(self, query, params=None, *, prepare=True, binary=None):
        return super().execute(query, params, prepare=prepare, binary=binary)
