"""What the workflow knows about an object: its records, read once, and the state they add up to.

derive_state() is the one definition of where a page stands; the workflow's Situation and the
stored ReviewState both call it, so "live with unreviewed changes" means one thing everywhere.
"""

from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from reversion.models import Version

from reviews import clock
from reviews.digest import source_digest
from reviews.models import (
    Publication,
    ReviewEvent,
    ReviewState,
    ScheduledPublication,
    ScheduledTakedown,
    SignOff,
)
from reviews.workflow.joined_read import changes_requested_after, round_events, row_with_records
from tovani.read_once import once

State = ReviewState.State


def derive_state(
    *,
    live: bool,
    current_is_live: bool,
    live_expired: bool,
    fresh_approval: bool,
    submitted: bool,
    changes_requested: bool,
) -> State:
    """Where a page stands, from the facts alone: the one definition of every State.

    current_is_live: the public reads the current version; fresh_approval: a sign-off that has
    not expired approves the current version.
    """
    if current_is_live:
        return State.REVIEW_OVERDUE if live_expired else State.LIVE
    if fresh_approval:
        return State.APPROVED
    # An open round of review says more than "live with changes": the editor needs to know
    # a physician has the page, or sent it back.
    if submitted:
        return State.IN_REVIEW
    if changes_requested:
        return State.CHANGES_REQUESTED
    if live:
        return State.LIVE_WITH_UNREVIEWED_CHANGES
    return State.DRAFT


def stored_state(row: ReviewState) -> State:
    """The state a stored row says, with the passing of time applied: a live page's review
    falls overdue, an approval not yet published expires."""
    current_is_live = row.state in {State.LIVE, State.REVIEW_OVERDUE}
    return derive_state(
        live=row.publication_id is not None,
        current_is_live=current_is_live,
        live_expired=current_is_live and expired(row.publication.sign_off),
        fresh_approval=row.state == State.APPROVED and not expired(row.sign_off),
        submitted=row.submission_id is not None,
        changes_requested=row.changes_request_id is not None,
    )


def current_document(obj) -> tuple[dict, str]:
    """The object's document as it stands now, and the digest of its source."""
    return obj.build_document(), source_digest(obj)


def state(obj, digest=None) -> State:
    """Where the object stands in review, as one of State (digest: of its current source)."""
    return situation(obj, digest).state


@dataclass
class Situation:
    """What every check needs to know about an object, each fact read once, when first needed.

    round_kind: the kind of the newest round event (None: no round yet); submission: that
    event when it is a submission waiting for a physician's decision; changes_request: that
    event when it is a request for changes. The fields from _publication_pending on are facts
    a joined read already answered (None: not asked yet).
    """

    obj: models.Model
    live: Publication | None
    latest_sign_off: SignOff | None
    round_kind: str | None
    submission: ReviewEvent | None
    changes_request: ReviewEvent | None
    row: ReviewState
    _digest: str | None = None
    _document: dict | None = None
    _publication_pending: bool | None = None
    _takedown_pending: bool | None = None
    _sign_off_overruled: bool | None = None

    @cached_property
    def digest(self) -> str:
        return self._digest or source_digest(self.obj)

    @cached_property
    def approved(self) -> SignOff | None:
        """The newest sign-off, when it approves this version (fresh or not)."""
        return _approving(self.obj, self.latest_sign_off, self.digest, self._sign_off_overruled)

    @cached_property
    def document(self) -> dict:
        return self._document if self._document is not None else self.obj.build_document()

    @cached_property
    def problems(self) -> list[str]:
        return content_problems(self.obj, self.document)

    @property
    def fresh_approval(self) -> SignOff | None:
        """The newest sign-off, when it approves this version and has not expired."""
        return self.approved if self.approved is not None and not expired(self.approved) else None

    @cached_property
    def state(self) -> State:
        live = self.live
        current_is_live = live is not None and live.source_digest == self.digest
        return derive_state(
            live=live is not None,
            current_is_live=current_is_live,
            live_expired=current_is_live and expired(live.sign_off),
            fresh_approval=self.fresh_approval is not None,
            submitted=self.submission is not None,
            changes_requested=self.changes_request is not None,
        )

    @cached_property
    def scheduled(self) -> ScheduledPublication | None:
        """The publication of this page waiting for its time, if one is."""
        if self._publication_pending is False:
            return None
        return (
            ScheduledPublication.objects.for_object(self.obj)
            .pending()
            .select_related("scheduled_by")
            .first()
        )

    @cached_property
    def takedown(self) -> ScheduledTakedown | None:
        """The order to take this page off the public site waiting for its time, if one is."""
        if self._takedown_pending is False:
            return None
        return (
            ScheduledTakedown.objects.for_object(self.obj)
            .pending()
            .select_related("scheduled_by")
            .first()
        )


def situation(obj, digest=None, *, document=None) -> Situation:
    """Read where obj stands; pass its current document (and digest) if already built."""
    row = row_with_records(obj)
    if row is None:
        return _situation_from_records(obj, digest, document)
    return Situation(
        obj=obj,
        live=once(_live_key(obj), lambda: row.publication),
        latest_sign_off=row.sign_off,
        round_kind=row.newest_round_kind,
        submission=row.submission,
        changes_request=row.changes_request,
        row=row,
        _digest=digest,
        _document=document,
        _publication_pending=row.publication_pending,
        _takedown_pending=row.takedown_pending,
        _sign_off_overruled=row.sign_off_overruled,
    )


def _situation_from_records(obj, digest, document) -> Situation:
    """The records read one by one: for an object whose stored row is missing or stale."""
    content_type = ContentType.objects.get_for_model(obj)
    latest = SignOff.objects.for_object(obj).select_related("physician").latest_first().first()
    # The status names the actor, as a physician when they are one.
    last_round = round_events(obj).select_related("actor__physician").first()
    kind = last_round.kind if last_round is not None else None
    row = ReviewState.objects.filter(content_type=content_type, object_id=obj.pk).first()
    return Situation(
        obj=obj,
        live=live_publication(obj),
        latest_sign_off=latest,
        round_kind=kind,
        submission=last_round if kind == ReviewEvent.Kind.SUBMITTED else None,
        changes_request=last_round if kind == ReviewEvent.Kind.CHANGES_REQUESTED else None,
        row=row or ReviewState(content_type=content_type, object_id=obj.pk),
        _digest=digest,
        _document=document,
    )


def last_editor(obj):
    """The user of the newest django-reversion revision of the object, if any."""
    version = Version.objects.get_for_object(obj).select_related("revision__user").first()
    return version.revision.user if version else None


def approved_sign_off(obj, digest) -> SignOff | None:
    """The sign-off that approves this exact source digest now, or None.

    Only the page's newest sign-off counts, and only while no physician has asked for changes
    since: a version that a later review superseded (say, the one a correction replaced) is not
    approved again by reverting to it.
    """
    latest = SignOff.objects.for_object(obj).select_related("physician").latest_first().first()
    return _approving(obj, latest, digest)


def _approving(obj, latest, digest, overruled=None) -> SignOff | None:
    """latest, if it approves digest; overruled: whether changes were requested after it,
    when a joined read already knows."""
    if latest is None or latest.source_digest != digest:
        return None
    if overruled is None:
        overruled = changes_requested_after(obj, latest.signed_at).exists()
    return None if overruled else latest


def live_publication(obj) -> Publication | None:
    # The change page asks for it for its status and its "View on site": once a screen.
    return once(
        _live_key(obj),
        Publication.objects.for_object(obj).live().select_related("sign_off").first,
    )


def _live_key(obj):
    return ("live_publication", type(obj), obj.pk)


def content_problems(obj, document) -> list[str]:
    return list(obj.document_problems(document))


def content_warnings(obj, document=None) -> list[str]:
    """What a reviewer should know about the content that does not stop publishing."""
    return list(obj.document_warnings(document if document is not None else obj.build_document()))


def review_expires_at(sign_off_record):
    return sign_off_record.signed_at + timedelta(days=settings.REVIEW_INTERVAL_DAYS)


def expired(sign_off_record) -> bool:
    return review_expires_at(sign_off_record) <= clock.now()


def proposed_summary(obj, digest) -> ReviewEvent | None:
    """The newest submission of exactly this content: it carries the editor's change summary."""
    return (
        ReviewEvent.objects.for_object(obj)
        .filter(kind=ReviewEvent.Kind.SUBMITTED, digest=digest)
        .first()
    )
