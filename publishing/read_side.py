"""Every kind's stored renderings proven against their live publications, and repaired.

Each stored rendering of a live publication (a page's HTML, its history page, the API's JSON),
whatever kind of page registered it, must be exactly what the publication renders to now. One
changed by SQL is named; ``repair`` renders it again and replaces the shared cache's copy
(rebuild_library runs it). The kinds' other rows (search entries, listings) are proven by the
kinds themselves (conditions/read_side.py).
"""

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
    return [sentence for _, _, sentence in _bad_renderings()]


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
    """(rendering, kind, sentence) of each stored rendering of a live publication that differs
    from what the publication renders to."""
    kinds = {each.name: each for page in registry.kinds() for each in page.renderings}
    rows = PageRendering.objects.filter(
        publication__in=Publication.objects.live(), template__in=list(kinds)
    ).select_related("publication__sign_off")
    for rendering in rows.order_by("publication_id", "template"):
        kind = kinds[rendering.template]
        if rendering.version != kind.version():
            continue  # served only under its own version, which is not this one
        if rendering.html != kind.render(rendering.publication):
            sentence = (
                f"{_name(rendering.publication)}: its stored {_kind_label(kind.name)} (page "
                f"rendering {rendering.pk}) is not what publication {rendering.publication_id} "
                "renders to: it was changed outside the workflow."
            )
            yield rendering, kind, sentence


def _name(publication) -> str:
    return f"Page “{publication.title}” ({publication.slug})"


def _kind_label(name: str) -> str:
    if name.endswith(".json") or "api" in name:
        return f"API JSON ({name})"
    return f"HTML ({name})"


READ_MODEL = register(ReadModel("stored renderings", problems, repair))
