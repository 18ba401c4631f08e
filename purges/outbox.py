"""Writing purges: one row in the transaction of the change, sent once it commits.

The row is the promise: if the change rolls back, so does the purge; if the worker is down
when it commits, the row waits (``manage.py send_purges`` sends every unconfirmed one).
"""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from publishing import registry
from purges import surrogate_keys as sk
from purges.models import Purge

# Addresses of the listings, for caches that purge by exact address (nginx's cache-purge
# module as Debian ships it, 2.3, takes no prefix): search results are not among them, so nginx
# keeps those for PAGE_SHARED_MAX_AGE; Varnish and the CDNs purge them by key.
LISTING_PATHS = ["/", "/conditions/", "/es/conditions/", "/sitemap.xml", "/feeds/reviewed.atom"]


def enqueue(reason, keys, *, paths=(), obj=None, content_type=None, object_id=None) -> Purge:
    """Write a purge of keys (and paths) now, in the caller's transaction; send it after."""
    from purges import tasks
    from tovani import replicas
    from tovani.tasks import enqueue_on_commit

    if obj is not None:
        content_type, object_id = ContentType.objects.get_for_model(obj), obj.pk
    purge = Purge.objects.create(
        reason=reason,
        keys=" ".join(dict.fromkeys(keys)),
        paths="\n".join(dict.fromkeys(paths)),
        content_type=content_type,
        object_id=object_id,
        created_at=timezone.now(),
    )
    # Replicas behind this commit are not read until they replay it (tovani.replicas), so a
    # cache that fetches again after the purge never gets the old answer from one.
    replicas.fence_on_commit()
    enqueue_on_commit(tasks.send_purge, purge.pk)
    return purge


def page_purge(reason, live) -> Purge:
    """The purge of a page going live or coming down: its answers and every listing."""
    model = live.content_type.model
    return enqueue(
        reason,
        [sk.page_key(model, live.object_id), sk.LISTINGS],
        paths=[
            *page_paths(model, live.slug),
            *LISTING_PATHS,
            *listing_paths_of(sk.publication_keys(live.publication)),
        ],
        content_type=live.content_type,
        object_id=live.object_id,
    )


def page_paths(model: str, slug: str) -> list[str]:
    """The addresses of a page's answers, for caches that purge by address: its kind's route
    (a translation's /es/… address, a statement's), and a condition page's history beside it."""
    if model == "condition":
        page = reverse("conditions:detail", args=[slug])
        return [page, f"{page}history/"]
    for kind in registry.kinds():
        if kind.model._meta.model_name == model:
            return [kind.path(slug)]
    return []


def listing_paths_of(keys: list[str]) -> list[str]:
    """The treatment and reviewer pages that list a page with these keys."""
    found = []
    for name in keys:
        kind, _, value = name.partition("-")
        if kind == "treatment":
            found.append(f"/treatments/{value}/")
        elif kind == "reviewer":
            found.append(f"/reviewers/{value}/")
    return found
