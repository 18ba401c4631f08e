"""The review queue: what waits for a physician, and what the public reads that needs review.

Read from the stored review state: one query for the rows of every listed page with their
submissions and sign-offs, and one per content type for the pages themselves, however many
pages there are.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef

from reviews import clock
from reviews.due import DueReview, due_review
from reviews.models import ReviewEvent, ReviewState


@dataclass
class Queue:
    awaiting_review: list[tuple[object, ReviewEvent]] = field(default_factory=list)
    unreviewed_live: list[tuple[object, ReviewState]] = field(default_factory=list)
    due_soon: list[DueReview] = field(default_factory=list)
    overdue: list[DueReview] = field(default_factory=list)


def review_queue(models, within_days: int = 30) -> Queue:
    types = {ContentType.objects.get_for_model(model): model for model in models}
    within = timedelta(days=within_days)
    horizon = clock.now() + within
    states = ReviewState.objects
    # The one definition of "live with unreviewed changes" (sent-back pages included); those in
    # review are listed as awaiting review instead.
    unreviewed = states.live_with_unreviewed_changes().filter(pk=OuterRef("pk"))
    # The rows listed, as a UNION of the three lists: each branch is an index lookup, where one
    # query OR-ing them (across the publication's sign-off) read every page of the library.
    kinds = list(types)
    branches = [
        listed.filter(content_type__in=kinds).values_list("pk", flat=True)
        for listed in [
            states.awaiting_review(),
            states.live_with_unreviewed_changes(),
            states.review_due(within),
        ]
    ]
    listed = list(branches[0].union(*branches[1:]))
    rows = list(
        states.filter(pk__in=listed).annotate(unreviewed_live=Exists(unreviewed)).with_records()
    )
    pages = _pages(rows, types)
    queue = Queue()
    for row in rows:
        page = pages.get((row.content_type_id, row.object_id))
        if page is None:
            continue
        if row.submission is not None:
            queue.awaiting_review.append((page, row.submission))
        elif row.unreviewed_live:
            queue.unreviewed_live.append((page, row))
        review = due_review(row.publication, page) if row.publication is not None else None
        if review is not None and review.expires_at <= horizon:
            (queue.overdue if review.overdue else queue.due_soon).append(review)
    queue.awaiting_review.sort(key=lambda entry: entry[1].at)
    queue.unreviewed_live.sort(key=lambda entry: entry[1].publication.published_at)
    queue.overdue.sort(key=lambda due: due.expires_at)
    queue.due_soon.sort(key=lambda due: due.expires_at)
    return queue


def _pages(rows, types) -> dict:
    """The pages of the rows, one query per content type."""
    wanted = {}
    for row in rows:
        wanted.setdefault(row.content_type_id, []).append(row.object_id)
    pages = {}
    for content_type, model in types.items():
        for pk, page in model._default_manager.in_bulk(wanted.get(content_type.pk, [])).items():
            pages[(content_type.pk, pk)] = page
    return pages
