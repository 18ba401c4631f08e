"""The review queue: what waits for a physician, and what the public reads that needs review."""

from dataclasses import dataclass, field
from datetime import timedelta
from itertools import groupby

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from reversion.models import Version

from reviews import workflow
from reviews.due import DueReview, reviews_due
from reviews.models import LivePublication, ReviewEvent
from reviews.workflow import State


@dataclass
class Queue:
    awaiting_review: list[tuple[object, ReviewEvent]] = field(default_factory=list)
    unreviewed_live: list[tuple[object, LivePublication]] = field(default_factory=list)
    due_soon: list[DueReview] = field(default_factory=list)
    overdue: list[DueReview] = field(default_factory=list)


def review_queue(models, within_days: int = 30) -> Queue:
    queue = Queue()
    for model in models:
        content_type = ContentType.objects.get_for_model(model)
        queue.awaiting_review += _awaiting_review(model, content_type)
        queue.unreviewed_live += _unreviewed_live(model, content_type)
    queue.awaiting_review.sort(key=lambda entry: entry[1].at)
    types = {ContentType.objects.get_for_model(model) for model in models}
    for due in reviews_due(within_days):
        if due.publication.content_type in types:
            (queue.overdue if due.overdue else queue.due_soon).append(due)
    return queue


def _awaiting_review(model, content_type):
    """Pages whose latest review step is a submission no physician has answered yet."""
    decisions = (
        ReviewEvent.objects.filter(content_type=content_type)
        .decisions()
        .select_related("actor")
        .order_by("object_id", "-at", "-pk")
    )
    submitted = {}
    for object_id, events in groupby(decisions, key=lambda event: event.object_id):
        latest = next(events)
        if latest.kind == ReviewEvent.Kind.SUBMITTED:
            submitted[object_id] = latest
    pages = model._default_manager.in_bulk(list(submitted))
    return [
        (page, submitted[pk])
        for pk, page in pages.items()
        if workflow.state(page) in {State.IN_REVIEW, State.LIVE_WITH_UNREVIEWED_CHANGES}
    ]


def _unreviewed_live(model, content_type):
    """Live pages edited since they went live, whose current text no physician has signed.

    Newer django-reversion versions pick the candidates; the digest decides.
    """
    lives = {
        live.object_id: live
        for live in LivePublication.objects.filter(content_type=content_type).select_related(
            "publication__sign_off"
        )
    }
    edited = (
        Version.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in lives])
        .values("object_id")
        .annotate(last_edit=Max("revision__date_created"))
    )
    candidates = [
        int(row["object_id"])
        for row in edited
        if row["last_edit"] > lives[int(row["object_id"])].live_since - timedelta(seconds=1)
    ]
    pages = model._default_manager.in_bulk(candidates)
    return [
        (page, lives[pk])
        for pk, page in pages.items()
        if workflow.state(page) == State.LIVE_WITH_UNREVIEWED_CHANGES
    ]
