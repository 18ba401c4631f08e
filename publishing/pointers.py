"""What is live at an address: the one lookup every public page and the API make.

One indexed query, in plain SQL (every public answer runs it, and building it with the ORM
costs more than running it), brings the live publication's id, digest and date, and the stored
rendering the caller needs, as UTF-8 bytes, with the moment it was made. Each process remembers
the answer (without the rendering) for PAGE_POINTER_SECONDS, so an address read many times a
second costs no query at all; a publish or unpublish reaches every process within that time
(browsers and CDNs keep pages far longer: PAGE_MAX_AGE).

The library's stamp, which changes with every publish or unpublish, is remembered the same way.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache as memoize

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, router
from django.db.models import Count, Max
from django.http import Http404
from django.utils import timezone

from publishing.models import LiveAlternate, PageNotice, PageRendering
from publishing.renderings import Kind
from reviews.models import LivePublication, Publication, ReviewEvent
from tovani.process_memory import ProcessMemory

NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class LivePointer:
    """What an answer needs of the live publication when its rendering is at hand."""

    pk: int
    digest: str
    published_at: datetime
    # When the stored rendering of the kind asked for was made (None: not yet under this
    # version): the answer's Last-Modified, so a deploy that changes a template changes it too.
    rendered_at: datetime | None = None
    # The stored rendering as UTF-8 bytes, when the lookup brought it along: a cache miss then
    # needs no query, and an answer sends it as it came.
    body: bytes | None = field(default=None, compare=False, repr=False)
    # What readers are told above the page now (publishing.notices), "" for nothing.
    notice: str = ""
    # Its live versions in other languages, ((language, path), …) (publishing.alternates).
    alternates: tuple = ()


@dataclass(frozen=True)
class LibraryStamp:
    """Changes whenever a page is published or unpublished: how many times, and when last."""

    changes: int
    changed_at: datetime

    def __str__(self):
        return f"{self.changes}-{int(self.changed_at.timestamp())}"


# Which publication is live at an address (or that none is), for PAGE_POINTER_SECONDS.
recent_pointers = ProcessMemory(limit=lambda: 10_000, seconds=lambda: settings.PAGE_POINTER_SECONDS)
_NOT_REMEMBERED = object()


def live_pointer_or_404(model, slug, kind: Kind) -> LivePointer:
    """The live publication at slug, with its stored rendering of kind when there is one."""
    key = (model, slug, kind.name)
    pointer = recent_pointers.get(key, _NOT_REMEMBERED)
    if pointer is _NOT_REMEMBERED:
        row = _lookup(model, slug, kind)
        pointer = remembered = None
        if row is not None:
            pk, digest, published_at, rendered_at, body, notice, alternates = row
            page = (pk, digest, _aware(published_at), _aware(rendered_at))
            alongside = {"notice": _text(notice), "alternates": _alternates(alternates)}
            pointer = LivePointer(*page, body=_bytes(body), **alongside)
            # The rendering is not kept here: the page caches hold it once per publication.
            remembered = LivePointer(*page, **alongside)
        recent_pointers.set(key, remembered)
    if pointer is None:
        raise Http404("No page is published at this address.")
    return pointer


def _lookup(model, slug, kind: Kind) -> tuple | None:
    """The lookup's row: prepared, with text as UTF-8 bytes, on PostgreSQL (unless
    DATABASE_PREPARED_STATEMENTS=0: planning is most of an unprepared lookup's cost)."""
    # A replica when the router allows it (tovani.replicas), else the primary.
    db = connections[router.db_for_read(LivePublication)]
    version, page = kind.version(), [_content_type_id(model), slug]
    if hasattr(db, "serving_row") and settings.DATABASE_PREPARED_STATEMENTS:
        return db.serving_row(_pointer_sql(joined=True), [kind.name, version, *page])
    with db.cursor() as cursor:
        cursor.execute(_pointer_sql(joined=False), [kind.name, version, kind.name, version, *page])
        return cursor.fetchone()


def _bytes(value) -> bytes | None:
    return value.encode() if isinstance(value, str) else value


def _text(value) -> str:
    """A short text column of the lookup, "" for NULL, whichever way the driver gave it."""
    if value is None:
        return ""
    return value.decode() if isinstance(value, bytes) else value


def live_publication(pointer: LivePointer) -> Publication:
    """The whole publication a pointer names, with its sign-off, to render it."""
    return Publication.objects.select_related("sign_off").get(pk=pointer.pk)


def library_stamp(model) -> LibraryStamp:
    """The stamp of the set of live pages of model: one query, remembered as pointers are."""
    key = (model, "library stamp")
    stamp = recent_pointers.get(key)
    if stamp is None:
        row = ReviewEvent.objects.filter(
            content_type_id=_content_type_id(model),
            kind__in=[ReviewEvent.Kind.PUBLISHED, ReviewEvent.Kind.UNPUBLISHED],
        ).aggregate(changes=Count("pk"), changed_at=Max("at"))
        stamp = LibraryStamp(row["changes"], row["changed_at"] or NEVER)
        recent_pointers.set(key, stamp)
    return stamp


def _content_type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk


@memoize
def _pointer_sql(*, joined: bool) -> str:
    """The lookup. joined: the rendering and the notice by LEFT JOIN, for a prepared statement,
    which PostgreSQL plans once and then runs faster than the scalar subqueries (223–239 µs
    against 289–300 µs in a loop); else by scalar subqueries, which plan in half the time, and
    planning is most of an unprepared lookup's cost."""
    quote = connection.ops.quote_name
    live, publication = LivePublication._meta.db_table, Publication._meta.db_table
    rendering, notice = PageRendering._meta.db_table, PageNotice._meta.db_table
    alternate = LiveAlternate._meta.db_table
    # One string for any number of languages, "es /es/…,fr /fr/…", in the one query.
    packed = f"a.{quote('language')} || ' ' || a.{quote('path')}"
    aggregate = (
        f"string_agg({packed}, ',')"
        if connection.vendor == "postgresql"
        else f"group_concat({packed}, ',')"
    )
    alternates = (
        f"(SELECT {aggregate} FROM {quote(alternate)} a "  # noqa: S608
        f"WHERE a.{quote('content_type_id')} = l.{quote('content_type_id')} "
        f"AND a.{quote('object_id')} = l.{quote('object_id')})"
    )
    live_join = (
        f"FROM {quote(live)} l INNER JOIN {quote(publication)} p "
        f"ON p.{quote('id')} = l.{quote('publication_id')} "
    )
    where = f"WHERE l.{quote('content_type_id')} = %s AND l.{quote('slug')} = %s"
    same_page = (
        f"n.{quote('content_type_id')} = l.{quote('content_type_id')} "
        f"AND n.{quote('object_id')} = l.{quote('object_id')}"
    )
    # Names from the models' metadata, quoted; the values are parameters.
    if joined:
        return (
            f"SELECT p.{quote('id')}, p.{quote('digest')}, p.{quote('published_at')}, "  # noqa: S608
            f"r.{quote('rendered_at')}, r.{quote('html')}, n.{quote('text')}, {alternates} "
            f"{live_join}"
            f"LEFT JOIN {quote(rendering)} r ON r.{quote('publication_id')} = p.{quote('id')} "
            f"AND r.{quote('template')} = %s AND r.{quote('version')} = %s "
            f"LEFT JOIN {quote(notice)} n ON {same_page} "
            f"{where}"
        )

    def stored(column):
        return (
            f"(SELECT r.{quote(column)} FROM {quote(rendering)} r "  # noqa: S608
            f"WHERE r.{quote('publication_id')} = p.{quote('id')} "
            f"AND r.{quote('template')} = %s AND r.{quote('version')} = %s)"
        )

    return (
        f"SELECT p.{quote('id')}, p.{quote('digest')}, p.{quote('published_at')}, "  # noqa: S608
        f"{stored('rendered_at')}, {stored('html')}, "
        f"(SELECT n.{quote('text')} FROM {quote(notice)} n WHERE {same_page}), {alternates} "
        f"{live_join}{where}"
    )


def _alternates(packed: bytes | str | None) -> tuple[tuple[str, str], ...]:
    """The lookup's "es /es/…,fr /fr/…" as ((language, path), …)."""
    if not packed:
        return ()
    packed = _text(packed)
    return tuple(sorted(tuple(item.split(" ", 1)) for item in packed.split(",") if " " in item))


def _aware(value) -> datetime | None:
    # PostgreSQL gives an aware datetime; SQLite a naive one (or text) in UTC.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=UTC)
