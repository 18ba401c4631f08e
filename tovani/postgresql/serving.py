"""One row of a statement prepared on a connection, read through libpq directly.

The live-pointer lookup is the one query every public answer makes, and what it returns is one
row whose biggest column, a stored rendering of tens of kilobytes, is sent on as it came. For
that row, psycopg's cursor (adapting parameters, managing its own prepared statements, building
the row from loaders) costs as much as PostgreSQL takes to answer it. Here the statement is
prepared once per connection under a name of its own, parameters go as text, the result comes in
the binary format, and each column is read by its type:

  integers        int
  varchar         str
  text            bytes: UTF-8, the client encoding Django sets on every connection
  timestamptz     an aware datetime in UTC

A statement returning any other type is refused when it is first read, naming the column.
Errors are psycopg's own (the SQLSTATE's class), so Django's wrapper translates them as it does
any query's. Rows are read here only outside transactions (usable()); a statement the session
has lost (DEALLOCATE ALL, DISCARD ALL) is then prepared again and run once more.
"""

from datetime import UTC, datetime, timedelta

from psycopg import errors, pq

_ORIGIN = datetime(2000, 1, 1, tzinfo=UTC)  # PostgreSQL's epoch for timestamps


def _integer(value: bytes) -> int:
    return int.from_bytes(value, "big", signed=True)


def _timestamp(value: bytes) -> datetime:
    return _ORIGIN + timedelta(microseconds=_integer(value))


# Type OIDs (pg_type) and how each is read from the binary format.
_READERS = {
    20: _integer,  # int8
    21: _integer,  # int2
    23: _integer,  # int4
    25: bytes,  # text
    1043: lambda value: value.decode(),  # varchar
    1184: _timestamp,  # timestamptz
}


class PreparedRows:
    """The statements prepared on one psycopg connection, by their SQL."""

    def __init__(self, connection):
        self.connection = connection
        self._names: dict[str, bytes] = {}
        self._readers: dict[str, tuple] = {}
        self._prepared = 0

    def row(self, sql: str, params) -> tuple | None:
        """The first row sql returns with params (placeholders as %s), or None."""
        pgconn = self.connection.pgconn
        name = self._names.get(sql) or self._prepare(pgconn, sql)
        values = [_parameter(value) for value in params]
        result = pgconn.exec_prepared(name, values, None, pq.Format.BINARY)
        if _forgotten(result):
            # Deallocated behind our back (DEALLOCATE ALL, DISCARD ALL): prepared again.
            del self._names[sql]
            name = self._prepare(pgconn, sql)
            result = pgconn.exec_prepared(name, values, None, pq.Format.BINARY)
        if result.status != pq.ExecStatus.TUPLES_OK:
            raise errors.error_from_result(result, encoding="utf-8")
        readers = self._readers.get(sql) or self._readers_of(sql, result)
        if result.ntuples == 0:
            return None
        return tuple(
            None if (value := result.get_value(0, column)) is None else read(value)
            for column, read in enumerate(readers)
        )

    def _prepare(self, pgconn, sql: str) -> bytes:
        self._prepared += 1
        name = f"tovani_row_{self._prepared}".encode()
        result = pgconn.prepare(name, _numbered(sql).encode())
        if result.status != pq.ExecStatus.COMMAND_OK:
            raise errors.error_from_result(result, encoding="utf-8")
        self._names[sql] = name
        return name

    def _readers_of(self, sql: str, result) -> tuple:
        readers = []
        for column in range(result.nfields):
            oid = result.ftype(column)
            if oid not in _READERS:
                label = (result.fname(column) or b"?").decode()
                raise TypeError(f"Column {column + 1} ({label}) has a type (oid {oid}) not read.")
            readers.append(_READERS[oid])
        self._readers[sql] = tuple(readers)
        return self._readers[sql]


def _forgotten(result) -> bool:
    """Whether the statement failed because the session no longer has it (26000)."""
    return (
        result.status == pq.ExecStatus.FATAL_ERROR
        and result.error_field(pq.DiagnosticField.SQLSTATE) == b"26000"
    )


def usable(connection) -> bool:
    """Whether a row may be read here now: outside any transaction, as public answers read.

    Inside one, psycopg may have a BEGIN still to send (a statement sent here would run outside
    the transaction), and a statement deallocated behind our back (DEALLOCATE ALL, DISCARD
    ALL) could not be prepared again: its failure would have ended the transaction.
    """
    return connection.autocommit and connection.pgconn.transaction_status == _IDLE


_IDLE = pq.TransactionStatus.IDLE


def _parameter(value) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"A parameter of a prepared row is text or an integer, not {value!r}.")
    return str(value).encode()


def _numbered(sql: str) -> str:
    """sql with its %s placeholders as PostgreSQL's $1, $2, …"""
    if "%%" in sql or "%(" in sql:
        raise ValueError("A prepared row's SQL has only %s placeholders.")
    first, *rest = sql.split("%s")
    return first + "".join(f"${number}{part}" for number, part in enumerate(rest, start=1))
