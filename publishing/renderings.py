"""What is rendered once per publication and stored: the page's HTML and the API's JSON.

A kind of rendering has a name, a version (PAGE_CACHE_VERSION for HTML, API_CACHE_VERSION for
the API's JSON: a deploy that changes a template or a representation bumps it) and a function
that renders a publication with tovani.site_url.ORIGIN_PLACEHOLDER where the site's origin goes.
Every kind is rendered when a page is published (a page that cannot be rendered does not go
live) and stored as a PageRendering row; a kind never rendered under its current version is
rendered on first use, and stored.

Each kind of page names its renderings when it registers (publishing.registry); the api app adds
the JSON of condition pages (it knows its own shapes).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache as memoize

from django.db import connection
from django.utils import timezone

from publishing.models import PageRendering


@dataclass(frozen=True)
class Kind:
    name: str
    version: Callable[[], str]
    render: Callable[[object], str]  # publication -> text holding ORIGIN_PLACEHOLDER


def render_all(publication, kinds) -> None:
    """Render and store each kind for a publication (done when it goes live)."""
    for each in kinds:
        stored(publication.pk, each, lambda: publication, at=publication.published_at)


def stored(publication_id: int, kind: Kind, publication: Callable[[], object], at=None) -> str:
    """The stored rendering of a publication of this kind and version, made if missing.

    publication() gives the whole publication, read only when the rendering must be made; at is
    the moment it counts as made (its Last-Modified): now, unless given.
    """
    version = kind.version()
    with connection.cursor() as cursor:
        cursor.execute(_rendering_sql(), [publication_id, kind.name, version])
        row = cursor.fetchone()
    if row is not None:
        return row[0]
    text = kind.render(publication())
    made = PageRendering(
        publication_id=publication_id,
        template=kind.name,
        version=version,
        html=text,
        rendered_at=at or timezone.now(),
    )
    PageRendering.objects.bulk_create([made], ignore_conflicts=True)
    return text


def stored_many(kind: Kind, publications) -> dict[int, str]:
    """{publication id: its rendering of kind}, made and stored in one write for publications
    that have none under this version: a listing that meets many such after a deploy makes
    them a batch at a time, not a query or more each."""
    version, now = kind.version(), timezone.now()
    made = {publication.pk: kind.render(publication) for publication in publications}
    PageRendering.objects.bulk_create(
        [
            PageRendering(
                publication_id=pk, template=kind.name, version=version, html=text, rendered_at=now
            )
            for pk, text in made.items()
        ],
        ignore_conflicts=True,
    )
    return made


@memoize
def _rendering_sql() -> str:
    quote = connection.ops.quote_name
    return (
        f"SELECT {quote('html')} FROM {quote(PageRendering._meta.db_table)} "  # noqa: S608
        f"WHERE {quote('publication_id')} = %s AND {quote('template')} = %s "
        f"AND {quote('version')} = %s"
    )
