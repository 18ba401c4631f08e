"""What every kind of page goes through as it goes live or comes down, inside the workflow's
transaction (PublishableModel.on_publish and on_unpublish run it): its read model, its stored
renderings, and the live pointers every process remembers. A page that cannot be rendered does
not go live."""

from django.db import transaction
from django.utils import timezone

from publishing import page_cache, registry, renderings
from publishing.alongside import renderings_remade
from publishing.models import PageRendering
from publishing.pointers import recent_pointers
from tovani import shared_cache


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


def render_again(publications, because: str) -> None:
    """Store afresh every rendering of these live publications of one kind, as made now.

    For what a page shows beside its signed text that changed after it went live (its
    reviewer's Spanish honorific, the footer's links to statements in its language): the
    publication is the same, so its rendering's moment names the change. Its ETag and
    Last-Modified change with it, every process serves it once its live pointer is looked up
    again (PAGE_POINTER_SECONDS; this one at once), and renderings_remade lets edge caches be
    purged (because: "reviewer" or "alongside", what changed).
    """
    publications = list(publications)
    if not publications:
        return
    model = publications[0].content_type.model_class()
    kinds = registry.kind_of(model).renderings
    now = timezone.now()
    PageRendering.objects.filter(
        publication__in=publications, template__in=[kind.name for kind in kinds]
    ).delete()
    made = {}
    for publication in publications:
        for kind in kinds:
            key = f"rendering:{kind.name}:{kind.version()}:{publication.pk}"
            made[key] = renderings.stored(publication.pk, kind, lambda p=publication: p, at=now)
    renderings_remade.send(sender=model, publications=publications, because=because)

    def forget():
        shared_cache.set_many(made, page_cache.CACHE_SECONDS)
        page_cache.memory_pages.clear()
        recent_pointers.clear()

    transaction.on_commit(forget)


def rebuild_read_models() -> None:
    """Recreate every kind's read model from its live publications, in registration order
    (a kind's rows may name pages of kinds registered before it)."""
    for kind in registry.kinds():
        if kind.read_model is not None and kind.read_model.rebuild is not None:
            kind.read_model.rebuild()
