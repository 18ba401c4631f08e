"""The condition pages' read model proven against their live publications, and repaired.

Every stored rendering of a live publication (the HTML page, its history page, the API's JSON)
must be exactly what the publication renders to now, and each live page's search row, treatment
listings and code listings exactly what conditions.library writes for it; on PostgreSQL the
search vector too. A row changed by SQL is named; ``repair`` renders the stored renderings
again, and ``rebuild_library`` (which runs it) writes the search rows afresh.
"""

from django.db import connection
from django.db.models import F, TextField
from django.db.models.functions import Cast

from conditions import library
from conditions.models import Condition
from conditions.read_model import SearchEntry
from publishing import registry, renderings
from publishing.models import PageRendering
from publishing.page_cache import memory_pages
from reviews.models import Publication
from reviews.read_side import ReadModel, register
from tovani import shared_cache

# publishing.page_cache keeps a rendering in the shared cache under this key, for a day.
CACHED_RENDERING = "rendering:{kind}:{version}:{pk}"
CACHED_SECONDS = 24 * 60 * 60


def problems() -> list[str]:
    found = [sentence for _, _, sentence in _bad_renderings()]
    found += _search_problems()
    return found


def repair() -> list[str]:
    """Render again every stored rendering that is not what its publication renders to."""
    done = []
    for rendering, kind, _ in _bad_renderings():
        publication = rendering.publication
        PageRendering.objects.filter(pk=rendering.pk).delete()
        text = renderings.stored(
            publication.pk, kind, lambda p=publication: p, at=rendering.rendered_at
        )
        key = CACHED_RENDERING.format(kind=kind.name, version=rendering.version, pk=publication.pk)
        shared_cache.set(key, text, CACHED_SECONDS)
        done.append(f"{_name(publication)}: its {_kind_label(kind.name)} was rendered again.")
    if done:
        memory_pages.clear()
    return done


def _bad_renderings():
    """(rendering, kind, sentence) of each stored rendering of a live condition publication
    that differs from what the publication renders to."""
    rows = PageRendering.objects.filter(
        publication__in=Publication.objects.live_of(Condition)
    ).select_related("publication__sign_off")
    for rendering in rows.order_by("publication_id", "template"):
        kind = _kinds().get(rendering.template)
        if kind is None:
            continue  # a kind this release no longer renders is never served
        if rendering.version != kind.version():
            continue  # served only under its own version, which is not this one
        if rendering.html != kind.render(rendering.publication):
            sentence = (
                f"{_name(rendering.publication)}: its stored {_kind_label(kind.name)} (page "
                f"rendering {rendering.pk}) is not what publication {rendering.publication_id} "
                "renders to: it was changed outside the workflow."
            )
            yield rendering, kind, sentence


def _kinds() -> dict:
    return {kind.name: kind for kind in registry.kind_of(Condition).renderings}


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


def _kind_label(name: str) -> str:
    if name.endswith(".json") or "api" in name:
        return f"API JSON ({name})"
    return f"HTML ({name})"


READ_MODEL = register(ReadModel("condition pages", problems, repair))
