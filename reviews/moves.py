"""Pages that move: a publish at a new slug takes the page away from its old address.

Read from the records alone (publications and unpublish events), so a move needs no table of
its own: the page's previous publication, if it was still live when the new one went out, was
at the address the page left. An old address leads to where the page that last stood there
lives now, so a page moved twice is found from either of its old addresses in one step, and an
address another page has taken since is that page's.
"""

from django.contrib.contenttypes.models import ContentType

from reviews.models import LivePublication, Publication, ReviewEvent


def previous_address(publication) -> Publication | None:
    """The page's publication live just before this one, when it stood at another slug."""
    before = (
        Publication.objects.filter(
            content_type_id=publication.content_type_id, object_id=publication.object_id
        )
        .filter(published_at__lte=publication.published_at, pk__lt=publication.pk)
        .order_by("-published_at", "-pk")
        .first()
    )
    if before is None or before.slug == publication.slug:
        return None
    taken_down = ReviewEvent.objects.filter(
        content_type_id=publication.content_type_id,
        object_id=publication.object_id,
        kind=ReviewEvent.Kind.UNPUBLISHED,
        at__gte=before.published_at,
        at__lte=publication.published_at,
    )
    return None if taken_down.exists() else before


def current_slug(model, slug) -> str | None:
    """Where the page last published at slug is live now, if elsewhere; None otherwise.

    Two queries, asked only for an address no live page holds.
    """
    content_type = ContentType.objects.get_for_model(model)
    last = (
        Publication.objects.filter(content_type=content_type, slug=slug)
        .order_by("-published_at", "-pk")
        .values_list("object_id", flat=True)
        .first()
    )
    if last is None:
        return None
    live = (
        LivePublication.objects.filter(content_type=content_type, object_id=last)
        .values_list("slug", flat=True)
        .first()
    )
    return live if live and live != slug else None
