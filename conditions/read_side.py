"""The condition pages' own read model proven against their live publications.

Each live page's search row, treatment listings and code listings must be exactly what
conditions.library writes for it; on PostgreSQL the search vector too. A row changed by SQL is
named, and ``rebuild_library`` writes the search rows afresh. Every kind's stored renderings are
proven by publishing/read_side.py.
"""

from django.db import connection
from django.db.models import F, TextField
from django.db.models.functions import Cast

from conditions import library
from conditions.models import Condition
from conditions.read_model import SearchEntry
from reviews.models import Publication
from reviews.read_side import ReadModel, register

# publishing.page_cache keeps a rendering in the shared cache under this key, for a day.
CACHED_RENDERING = "rendering:{kind}:{version}:{pk}"
CACHED_SECONDS = 24 * 60 * 60


def problems() -> list[str]:
    return _search_problems()


def repair() -> list[str]:
    """The search rows are written afresh by rebuild_library; nothing else to repair here."""
    return []


def _search_problems() -> list[str]:
    found = []
    live = {
        publication.object_id: publication
        for publication in Publication.objects.live_of(Condition).select_related("sign_off")
    }
    entries = {entry.condition_id: entry for entry in SearchEntry.objects.all()}
    for condition_id, publication in live.items():
        entry = entries.get(condition_id)
        if entry is None:
            found.append(
                f"{_name(publication)}: it has no search row: it is missing from "
                "search and listings."
            )
            continue
        found += [
            f"{_name(publication)}: {reason}" for reason in _entry_problems(entry, publication)
        ]
    for condition_id, entry in entries.items():
        if condition_id not in live:
            found.append(
                f"Search row of “{entry.title}” ({entry.slug}): its page is not live, yet it is "
                "listed and searchable."
            )
    found += _vector_problems(entries, live)
    return found


def _entry_problems(entry, publication) -> list[str]:
    reasons = []
    if entry.publication_id != publication.pk:
        reasons.append(
            f"its search row describes publication {entry.publication_id}, not the live "
            f"{publication.pk}."
        )
    expected = library.entry_fields(publication)
    changed = [name for name, value in expected.items() if getattr(entry, name) != value]
    if changed:
        reasons.append(
            f"its search row's {', '.join(changed)} is not what publication {publication.pk} "
            "says: it was changed outside the workflow."
        )
    document = publication.document
    if _rows(entry.treatments, library.listing_fields(document)):
        reasons.append("its treatment listings are not what its publication says.")
    if _rows(entry.codes_listed, library.code_fields(document)):
        reasons.append("its code listings are not what its publication says.")
    return reasons


def _rows(related, expected: list[dict]) -> bool:
    """Whether the stored rows differ from the expected ones (in their order)."""
    names = list(expected[0]) if expected else ["position"]
    stored = list(related.order_by("position").values(*names))
    return stored != [{name: row[name] for name in names} for row in expected]


def _vector_problems(entries, live) -> list[str]:
    if connection.vendor != "postgresql" or not entries:
        return []
    # Compared as text: on a search vector, = means "matches", not "equals".
    stale = SearchEntry.objects.annotate(
        stored=Cast("vector", TextField()), fresh=Cast(library.SEARCH_VECTOR, TextField())
    ).exclude(stored=F("fresh"))
    return [
        f"{_name(live[entry.condition_id])}: its search vector is not what its row's text "
        "gives: it was changed outside the workflow."
        for entry in stale
        if entry.condition_id in live
    ]


def _name(publication) -> str:
    return f"Page “{publication.title}” ({publication.slug})"


READ_MODEL = register(ReadModel("condition pages", problems, repair))
