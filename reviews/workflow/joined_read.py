"""A page's review records in one read: its stored ReviewState joined to the records it names.

The stored row names the newest sign-off, the open submission or changes request and the live
publication, so one query joined to them reads what would otherwise take six. The records stay
the authority: the same query asks them which sign-off is newest, which round event, which
publication is live and whether a publication or a take-down is pending, and the row is used
only when it names exactly those. A stale row, or none, is answered None: the caller reads the
records one by one, as it always did. Nothing is kept past the query.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Subquery

from reviews.models import (
    Publication,
    ReviewEvent,
    ReviewState,
    ScheduledPublication,
    ScheduledTakedown,
    SignOff,
)

# The events that open or close a round of review; the newest says whether one is open.
ROUND_EVENTS = [
    ReviewEvent.Kind.SUBMITTED,
    ReviewEvent.Kind.CHANGES_REQUESTED,
    ReviewEvent.Kind.SIGNED_OFF,
]


def round_events(obj):
    """The object's round events, newest first."""
    return ReviewEvent.objects.for_object(obj).filter(kind__in=ROUND_EVENTS).order_by("-at", "-pk")


def changes_requested_after(obj, moment):
    return ReviewEvent.objects.for_object(obj).filter(
        kind=ReviewEvent.Kind.CHANGES_REQUESTED, at__gt=moment
    )


def row_with_records(obj) -> ReviewState | None:
    """obj's stored row with its records joined, when it names the records as they stand now.

    The row then also carries: newest_round_kind (the kind of the newest round event, or None),
    publication_pending and takedown_pending (whether one waits for its time) and
    sign_off_overruled (whether a physician asked for changes after the newest sign-off).
    """
    newest_round = round_events(obj)
    row = (
        ReviewState.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
        # The status names the actor, as a physician when they are one.
        .select_related(
            "sign_off__physician",
            "submission__actor__physician",
            "changes_request__actor__physician",
            "publication__sign_off",
        )
        .annotate(
            newest_sign_off_pk=Subquery(
                SignOff.objects.for_object(obj).latest_first().values("pk")[:1]
            ),
            newest_round_pk=Subquery(newest_round.values("pk")[:1]),
            newest_round_kind=Subquery(newest_round.values("kind")[:1]),
            live_publication_pk=Subquery(
                Publication.objects.for_object(obj).live().values("pk")[:1]
            ),
            publication_pending=Exists(ScheduledPublication.objects.for_object(obj).pending()),
            takedown_pending=Exists(ScheduledTakedown.objects.for_object(obj).pending()),
            sign_off_overruled=Exists(
                changes_requested_after(obj, OuterRef("sign_off__signed_at"))
            ),
        )
        .first()
    )
    return row if row is not None and _names_the_records(row) else None


def _names_the_records(row) -> bool:
    def newest_round_if(kind):
        return row.newest_round_pk if row.newest_round_kind == kind else None

    return (
        row.sign_off_id == row.newest_sign_off_pk
        and row.publication_id == row.live_publication_pk
        and row.submission_id == newest_round_if(ReviewEvent.Kind.SUBMITTED)
        and row.changes_request_id == newest_round_if(ReviewEvent.Kind.CHANGES_REQUESTED)
    )
