"""What waits for each person, for their admin home.

A physician sees the pages awaiting review; a publisher the approved pages not yet published,
the scheduled publications and take-downs, and the pages published in the last
PUBLISHED_RECENTLY_DAYS days (newest first, with who published them); an editor the pages
returned to them with the physician's note, and their pages in review. Everything is read from
the stored review state, in a fixed number of queries whatever the number of pages: one for the
state rows, one each for the scheduled publications, the scheduled take-downs and the recent
publications, one for who submitted the returned pages, and one per content type for the pages.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q

from reviews import clock
from reviews.models import (
    LivePublication,
    Publication,
    ReviewEvent,
    ReviewState,
    ScheduledPublication,
    ScheduledTakedown,
)


@dataclass
class Entry:
    page: object
    row: ReviewState | None = None
    event: ReviewEvent | None = None
    scheduled: ScheduledPublication | None = None
    takedown: ScheduledTakedown | None = None
    publication: Publication | None = None


@dataclass
class Inboxes:
    physician: bool = False
    publisher: bool = False
    editor: bool = False
    awaiting_review: list[Entry] = field(default_factory=list)
    ready_to_publish: list[Entry] = field(default_factory=list)
    scheduled: list[Entry] = field(default_factory=list)
    returned: list[Entry] = field(default_factory=list)
    in_review: list[Entry] = field(default_factory=list)
    takedowns: list[Entry] = field(default_factory=list)
    published_recently: list[Entry] = field(default_factory=list)
    recent_days: int = 0

    @property
    def any_role(self) -> bool:
        return self.physician or self.publisher or self.editor


def inboxes(user, models) -> Inboxes:
    """The inboxes of user over the given publishable models (those they may see)."""
    box = Inboxes(
        physician=user.has_perm("reviews.sign_off_page"),
        publisher=user.has_perm("reviews.publish_page"),
        editor=any(
            user.has_perm(f"{m._meta.app_label}.change_{m._meta.model_name}") for m in models
        ),
    )
    if not box.any_role or not models:
        return box
    types = {ContentType.objects.get_for_model(model): model for model in models}
    rows = _rows(box, list(types))
    scheduled = _scheduled(box, list(types))
    takedowns = _takedowns(box, list(types))
    recent = _published_recently(box, list(types))
    submitters = _submitters([row for row in rows if row.changes_request_id]) if box.editor else {}
    pages = _pages([*rows, *scheduled, *takedowns, *recent], types)
    scheduled_pages = {(item.content_type_id, item.object_id) for item in scheduled}

    def page_of(record):
        return pages.get((record.content_type_id, record.object_id))

    for row in rows:
        page = page_of(row)
        if page is None:
            continue
        key = (row.content_type_id, row.object_id)
        if row.submission_id:
            if box.physician:
                box.awaiting_review.append(Entry(page, row, row.submission))
            if box.editor and row.submission.actor_id == user.pk:
                box.in_review.append(Entry(page, row, row.submission))
        if row.changes_request_id and box.editor and submitters.get(key) == user.pk:
            box.returned.append(Entry(page, row, row.changes_request))
        if box.publisher and row.state == ReviewState.State.APPROVED and key not in scheduled_pages:
            box.ready_to_publish.append(Entry(page, row))
    box.scheduled = [
        Entry(page_of(item), scheduled=item) for item in scheduled if page_of(item) is not None
    ]
    box.takedowns = [
        Entry(page_of(item), takedown=item) for item in takedowns if page_of(item) is not None
    ]
    box.published_recently = [
        Entry(page_of(item), publication=item) for item in recent if page_of(item) is not None
    ]
    box.recent_days = settings.PUBLISHED_RECENTLY_DAYS
    box.awaiting_review.sort(key=lambda entry: entry.event.at)
    box.in_review.sort(key=lambda entry: entry.event.at)
    box.returned.sort(key=lambda entry: entry.event.at, reverse=True)
    box.ready_to_publish.sort(key=lambda entry: entry.row.sign_off.signed_at)
    return box


def _rows(box, types) -> list[ReviewState]:
    states = ReviewState.objects
    wanted = states.none()
    if box.physician or box.editor:
        wanted |= states.awaiting_review()
    if box.editor:
        wanted |= states.changes_requested()
    if box.publisher:
        wanted |= states.approved_unpublished()
    return list(
        wanted.filter(content_type__in=types)
        .with_records()
        .select_related("changes_request__actor__physician", "sign_off__physician")
    )


def _scheduled(box, types) -> list[ScheduledPublication]:
    if not box.publisher:
        return []
    return list(
        ScheduledPublication.objects.pending()
        .filter(content_type__in=types)
        .select_related("scheduled_by", "sign_off")
        .defer("sign_off__document")
    )


def _takedowns(box, types) -> list[ScheduledTakedown]:
    if not box.publisher:
        return []
    return list(
        ScheduledTakedown.objects.pending()
        .filter(content_type__in=types)
        .select_related("scheduled_by")
    )


def _published_recently(box, types) -> list[Publication]:
    """The publications of the last PUBLISHED_RECENTLY_DAYS days, newest first, each marked
    with whether the public still sees it."""
    if not box.publisher:
        return []
    since = clock.now() - timedelta(days=settings.PUBLISHED_RECENTLY_DAYS)
    return list(
        Publication.objects.filter(content_type__in=types, published_at__gte=since)
        .select_related("published_by")
        .only("content_type", "object_id", "title", "published_at", "published_by")
        .annotate(still_live=Exists(LivePublication.objects.filter(publication=OuterRef("pk"))))
        .order_by("-published_at", "-pk")
    )


def _submitters(rows) -> dict:
    """Who submitted each returned page: the newest submission before the request for changes,
    for all the rows in one query."""
    if not rows:
        return {}
    condition = Q(pk__in=[])
    for row in rows:
        condition |= Q(content_type_id=row.content_type_id, object_id=row.object_id)
    submissions = (
        ReviewEvent.objects.filter(condition, kind=ReviewEvent.Kind.SUBMITTED)
        .order_by("-at", "-pk")
        .values_list("content_type_id", "object_id", "actor_id", "at")
    )
    asked = {(row.content_type_id, row.object_id): row.changes_request.at for row in rows}
    found = {}
    for content_type, object_id, actor, at in submissions:
        key = (content_type, object_id)
        if key not in found and at <= asked[key]:
            found[key] = actor
    return found


def _pages(records, types) -> dict:
    """The pages the records are about, by (content type id, object id): one query per type."""
    wanted = {}
    for record in records:
        wanted.setdefault(record.content_type_id, set()).add(record.object_id)
    pages = {}
    for content_type, model in types.items():
        ids = wanted.get(content_type.pk)
        if ids:
            for pk, page in model._default_manager.in_bulk(ids).items():
                pages[(content_type.pk, pk)] = page
    return pages
