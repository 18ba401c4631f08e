"""What every kind of page goes through as it goes live or comes down, inside the workflow's
transaction (PublishableModel.on_publish and on_unpublish run it): its read model, its stored
renderings, and the live pointers every process remembers. A page that cannot be rendered does
not go live."""

from django.db import transaction

from publishing import registry, renderings
from publishing.pointers import recent_pointers


def go_live(page, publication) -> None:
    kind = registry.kind_of(type(page))
    if kind.read_model is not None:
        kind.read_model.write(publication)
    renderings.render_all(publication, kind.renderings)
    # The publishing process shows the change at once; others within PAGE_POINTER_SECONDS.
    transaction.on_commit(recent_pointers.clear)


def come_down(page, publication) -> None:
    kind = registry.kind_of(type(page))
    if kind.read_model is not None:
        kind.read_model.remove(publication)
    transaction.on_commit(recent_pointers.clear)


def render(publication) -> None:
    """Store every rendering of a publication's kind not yet stored under its version."""
    kind = registry.kind_of(publication.content_type.model_class())
    renderings.render_all(publication, kind.renderings)


def rebuild_read_models() -> None:
    """Recreate every kind's read model from its live publications, in registration order
    (a kind's rows may name pages of kinds registered before it)."""
    for kind in registry.kinds():
        if kind.read_model is not None and kind.read_model.rebuild is not None:
            kind.read_model.rebuild()
