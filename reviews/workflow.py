"""The review workflow: the one place its rules live.

The admin, the API, management commands and the shell all call these functions, so a rule holds
whichever door a person comes through. Each step has a check, ``check_<step>(situation, user)``
returning the reasons it is refused (empty: allowed); the step runs its check and raises
WorkflowError with those reasons, shown as-is, and ``allowed_steps(obj, user)`` tells a screen
which buttons to offer from the very same checks.

A publishable object offers ``build_document() -> dict`` (plain, deterministic JSON data) and
``build_source() -> dict`` (the content as typed, which is what a physician signs: see
reviews.digest). It may offer ``document_problems(document) -> list[str]`` for content that must
never be signed or published, ``document_warnings(document) -> list[str]`` for what a reviewer
should see but that does not stop publishing, and ``on_publish(publication)`` /
``on_unpublish(publication)``: the steps it needs to go live or come down (rendering, indexing),
which publish() and unpublish() run inside their transaction.

Where each object stands is stored in one ReviewState row, written here only: by the steps, and
by record_change(), which the save path calls after content is saved.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import formats, timezone
from reversion.models import Version

from reviews import audit_chain, clock, notifications, scheduled_publishing, signatures
from reviews.digest import document_digest, source_digest
from reviews.errors import WorkflowError
from reviews.models import (
    LivePublication,
    Physician,
    Publication,
    ReviewEvent,
    ReviewState,
    ScheduledPublication,
    SignOff,
)
from reviews.reauthentication import confirm_password
from reviews.signals import published, unpublished

logger = logging.getLogger(__name__)

State = ReviewState.State

NO_PUBLISH_PERMISSION = "You do not have permission to publish pages."

# The events that open or close a round of review; the newest says whether one is open.
ROUND_EVENTS = [
    ReviewEvent.Kind.SUBMITTED,
    ReviewEvent.Kind.CHANGES_REQUESTED,
    ReviewEvent.Kind.SIGNED_OFF,
]


def current_document(obj) -> tuple[dict, str]:
    """The object's document as it stands now, and the digest of its source."""
    return obj.build_document(), source_digest(obj)


def state(obj, digest=None) -> State:
    """Where the object stands in review, as one of State (digest: of its current source)."""
    return situation(obj, digest).state


@dataclass
class Situation:
    """What every check needs to know about an object, each fact read once, when first needed."""

    obj: models.Model
    live: Publication | None
    latest_sign_off: SignOff | None
    last_round_event: ReviewEvent | None
    row: ReviewState
    _digest: str | None = None
    _document: dict | None = None

    @cached_property
    def digest(self) -> str:
        return self._digest or source_digest(self.obj)

    @cached_property
    def approved(self) -> SignOff | None:
        """The newest sign-off, when it approves this version (fresh or not)."""
        return _approving(self.obj, self.latest_sign_off, self.digest)

    @cached_property
    def document(self) -> dict:
        return self._document if self._document is not None else self.obj.build_document()

    @cached_property
    def problems(self) -> list[str]:
        return content_problems(self.obj, self.document)

    @property
    def submission(self) -> ReviewEvent | None:
        """The submission waiting for a physician's decision, if one is."""
        event = self.last_round_event
        return event if event is not None and event.kind == ReviewEvent.Kind.SUBMITTED else None

    @property
    def changes_request(self) -> ReviewEvent | None:
        event = self.last_round_event
        if event is not None and event.kind == ReviewEvent.Kind.CHANGES_REQUESTED:
            return event
        return None

    @property
    def fresh_approval(self) -> SignOff | None:
        """The newest sign-off, when it approves this version and has not expired."""
        return self.approved if self.approved is not None and not _expired(self.approved) else None

    @cached_property
    def state(self) -> State:
        live, digest = self.live, self.digest
        if live is not None and live.source_digest == digest:
            return State.REVIEW_OVERDUE if _expired(live.sign_off) else State.LIVE
        if self.fresh_approval is not None:
            return State.APPROVED
        # An open round of review says more than "live with changes": the editor needs to know
        # a physician has the page, or sent it back.
        if self.submission is not None:
            return State.IN_REVIEW
        if self.changes_request is not None:
            return State.CHANGES_REQUESTED
        if live is not None:
            return State.LIVE_WITH_UNREVIEWED_CHANGES
        return State.DRAFT

    @cached_property
    def scheduled(self) -> ScheduledPublication | None:
        """The publication of this page waiting for its time, if one is."""
        return (
            ScheduledPublication.objects.for_object(self.obj)
            .pending()
            .select_related("scheduled_by")
            .first()
        )


def situation(obj, digest=None, *, document=None) -> Situation:
    """Read where obj stands; pass its current document (and digest) if already built."""
    content_type = ContentType.objects.get_for_model(obj)
    latest = SignOff.objects.for_object(obj).select_related("physician").latest_first().first()
    last_round = (
        ReviewEvent.objects.for_object(obj)
        .filter(kind__in=ROUND_EVENTS)
        .select_related("actor")
        .first()
    )
    row = ReviewState.objects.filter(content_type=content_type, object_id=obj.pk).first()
    return Situation(
        obj=obj,
        live=live_publication(obj),
        latest_sign_off=latest,
        last_round_event=last_round,
        row=row or ReviewState(content_type=content_type, object_id=obj.pk),
        _digest=digest,
        _document=document,
    )


# The checks: who may take each step now, from what state. Each returns its refusals.


def check_submit(s: Situation, user) -> list[str]:
    opts = s.obj._meta
    if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return ["Only an editor of this page can submit it for review."]
    if s.state in {State.APPROVED, State.LIVE}:
        return [f"This page is {s.state.label.lower()}; there is nothing to submit."]
    submission = s.submission
    if submission is not None and submission.digest == s.digest:
        return [
            f"This version is already in review: {_name(submission.actor)} submitted it on "
            f"{_date(submission.at)}."
        ]
    if s.problems:
        return ["This page cannot be submitted yet: " + " ".join(s.problems)]
    return []


def check_sign_off(s: Situation, user) -> list[str]:
    refusals = _reviewer_refusals(s, user)
    if refusals:
        return refusals
    if _made_changes(s, user):
        return [
            "This version contains changes you made since the last sign-off, so another "
            "physician must sign it off."
        ]
    if s.problems:
        return ["This page cannot be signed off yet: " + " ".join(s.problems)]
    return []


def check_request_changes(s: Situation, user) -> list[str]:
    refusals = _reviewer_refusals(s, user)
    if refusals:
        return refusals
    if s.submission is None:
        if s.changes_request is not None:
            return [
                f"Changes were already requested by {_name(s.changes_request.actor)} on "
                f"{_date(s.changes_request.at)}; nothing new has been submitted since."
            ]
        return ["Nothing awaits review: no one has submitted this page since its last review."]
    return []


def check_publish(s: Situation, user) -> list[str]:
    return publish_blockers(s.obj, user, known=s)


def check_schedule_publish(s: Situation, user) -> list[str]:
    if not user.has_perm("reviews.publish_page"):
        return [NO_PUBLISH_PERMISSION]
    if s.scheduled is not None:
        return [
            f"This page is already scheduled to go live on {_moment(s.scheduled.publish_at)} "
            f"({_name(s.scheduled.scheduled_by)} scheduled it); cancel that first."
        ]
    return publish_blockers(s.obj, user, known=s)


def check_cancel_scheduled(s: Situation, user) -> list[str]:
    if not user.has_perm("reviews.publish_page"):
        return ["Only a publisher can cancel a scheduled publication."]
    if s.scheduled is None:
        return ["Nothing is scheduled for this page."]
    return []


def check_unpublish(s: Situation, user) -> list[str]:
    if not user.has_perm("reviews.publish_page"):
        return ["You do not have permission to unpublish pages."]
    if s.live is None:
        return ["This page is not published, so there is nothing to unpublish."]
    return []


def may_delete_some(model, user) -> bool:
    """Whether user may delete any object of model: its editors, and publishers (who delete
    signed-off pages once unpublished). check_delete says which object."""
    opts = model._meta
    return user.has_perm("reviews.publish_page") or user.has_perm(
        f"{opts.app_label}.delete_{opts.model_name}"
    )


def check_delete(s: Situation, user) -> list[str]:
    opts = s.obj._meta
    publisher = user.has_perm("reviews.publish_page")
    if not may_delete_some(type(s.obj), user):
        return [f"You do not have permission to delete {opts.verbose_name_plural}."]
    if s.live is not None:
        return [f"“{s.obj}” is live: it must be unpublished before it can be deleted."]
    if s.latest_sign_off is not None and not publisher:
        return [
            f"A physician has signed off “{s.obj}”, so only a publisher can delete it "
            "(its sign-offs and publications stay on record)."
        ]
    return []


CHECKS = {
    "submit": check_submit,
    "sign_off": check_sign_off,
    "request_changes": check_request_changes,
    "publish": check_publish,
    "schedule_publish": check_schedule_publish,
    "cancel_scheduled": check_cancel_scheduled,
    "unpublish": check_unpublish,
    "delete": check_delete,
}


def refusals(obj, user, *, document=None, digest=None) -> dict[str, list[str]]:
    """Every step's refusals for user now (an empty list: the step is open to them)."""
    return refusals_in(situation(obj, digest, document=document), user)


def refusals_in(s: Situation, user) -> dict[str, list[str]]:
    return {step: check(s, user) for step, check in CHECKS.items()}


def allowed_steps(obj, user, *, document=None, digest=None) -> set[str]:
    """The steps user may take on obj now: what a screen offers, from the steps' own checks."""
    return {
        step
        for step, reasons in refusals(obj, user, document=document, digest=digest).items()
        if not reasons
    }


def _refuse_unless_allowed(check, s, user):
    reasons = check(s, user)
    if reasons:
        raise WorkflowError(" ".join(reasons))


def _reviewer_refusals(s: Situation, user) -> list[str]:
    physician = Physician.objects.filter(user=user).first()
    if physician is None:
        return ["Only a physician can review a page: your account has no physician profile."]
    if not physician.is_active:
        return [f"{physician.signature} is not an active physician and cannot review pages."]
    if not user.has_perm("reviews.sign_off_page"):
        return [
            "You do not have permission to sign off pages or request changes, although your "
            "account has a physician profile: ask an administrator for the Physicians role."
        ]
    approval = s.fresh_approval
    if approval is not None:
        return [
            f"This version is already signed off by {approval.signature} on "
            f"{_date(approval.signed_at)}; there is nothing to review."
        ]
    return []


def _made_changes(s: Situation, user) -> bool:
    """Whether the version holds a change of user's since the newest sign-off."""
    if not settings.REQUIRE_INDEPENDENT_REVIEW:
        return False
    if user.pk in s.row.changed_by:
        return True
    # Content changed outside any recorded save (a shell, a raw update): its author is
    # unknown, so the newest revision's author answers for it.
    return s.row.source_digest != s.digest and last_editor(s.obj) == user


# The steps.


def submit_for_review(
    obj, user, note="", *, change_summary="", clinically_significant=False
) -> ReviewEvent:
    """Ask the physicians to review the object's current content.

    A new version submitted while an older one is in review replaces it in the queue; both
    submissions and their notes stay on the timeline. change_summary is what the page's public
    history will say changed; the physician approves it with the sign-off.
    """
    with transaction.atomic():
        obj = _locked(obj)
        s = situation(obj)
        _refuse_unless_allowed(check_submit, s, user)
        event = _record(
            obj,
            ReviewEvent.Kind.SUBMITTED,
            user,
            digest=s.digest,
            note=note,
            change_summary=(change_summary or "").strip(),
            clinically_significant=clinically_significant,
        )
        _write_state(obj, user, digest=s.digest)
        notifications.review_requested(obj, event)
    return event


def request_changes(obj, user, note) -> ReviewEvent:
    """A physician sends the page back to the editors, saying what to change."""
    with transaction.atomic():
        obj = _locked(obj)
        s = situation(obj)
        _refuse_unless_allowed(check_request_changes, s, user)
        if not (note or "").strip():
            raise WorkflowError("Say what needs to change: a note is required to request changes.")
        event = _record(obj, ReviewEvent.Kind.CHANGES_REQUESTED, user, digest=s.digest, note=note)
        _write_state(obj, user, digest=s.digest)
        notifications.decision_made(obj, event)
    return event


def sign_off(
    obj,
    user,
    password,
    note="",
    *,
    reviewed_digest=None,
    change_summary=None,
    clinically_significant=None,
    request=None,
) -> SignOff:
    """Record that a physician approved exactly the object's current source.

    A screen that showed the physician a version passes its digest as reviewed_digest, so a
    change saved while they were reading is never signed unseen. The public change summary and
    its "clinically significant" flag are signed with it: as given, or else as the editor
    proposed them when submitting this version. With the request, a wrong password counts
    toward the sign-in lockout; it is checked before the transaction, so the count survives.
    """
    confirm_password(user, password, request)
    with transaction.atomic():
        obj = _locked(obj)
        s = situation(obj)
        reasons = _reviewer_refusals(s, user)
        if reasons:
            raise WorkflowError(" ".join(reasons))
        if reviewed_digest is not None and reviewed_digest != s.digest:
            raise WorkflowError(
                "The page changed while you were reviewing it. The sign-off was not recorded: "
                "review the new version."
            )
        _refuse_unless_allowed(check_sign_off, s, user)
        physician = user.physician
        signed = SignOff.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            physician=physician,
            signature=physician.signature,
            digest=document_digest(s.document),
            source_digest=s.digest,
            document=s.document,
            note=note.strip(),
            signed_at=clock.now(),
            **_approved_summary(obj, s.digest, change_summary, clinically_significant),
        )
        event = _record(obj, ReviewEvent.Kind.SIGNED_OFF, user, digest=s.digest, note=note)
        _write_state(obj, user, digest=s.digest)
        notifications.decision_made(obj, event)
    return signed


def publish(obj, user) -> Publication:
    """Make the object's current, signed-off document the one the public sees.

    Runs the object's own publish steps (rendering, indexing) inside the transaction: a page
    that cannot be rendered does not go live. Receivers of ``published`` hear of it only after
    the transaction commits, so none of them can undo or block a publish.
    """
    with transaction.atomic():
        # Lock the page row: a second publisher waits here, then finds the page already live.
        obj = _locked(obj)
        s = situation(obj)
        _refuse_unless_allowed(check_publish, s, user)
        now = clock.now()
        digest = document_digest(s.document)
        publication = Publication.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            slug=s.document["slug"],
            title=s.document["title"],
            digest=digest,
            source_digest=s.digest,
            document=s.document,
            sign_off=s.approved,
            published_at=now,
            published_by=user,
            **signatures.sign_publication_fields(
                slug=s.document["slug"], digest=digest, sign_off=s.approved, published_at=now
            ),
        )
        _record(obj, ReviewEvent.Kind.PUBLISHED, user, digest=s.digest)
        LivePublication.objects.update_or_create(
            content_type=publication.content_type,
            object_id=obj.pk,
            defaults={"slug": publication.slug, "publication": publication, "live_since": now},
        )
        _run_page_step(obj, "on_publish", publication, "published")
        _write_state(obj, user, digest=s.digest)
        _overtake_scheduled(obj, user, s.scheduled)
        _after_commit(published, obj, publication)
    return publication


def _overtake_scheduled(obj, user, item):
    """A page published by hand no longer waits for its scheduled publication."""
    if item is None:
        return
    reason = f"{_name(user)} published the page on {_moment(clock.now())}, before its time."
    _close(item, ScheduledPublication.Status.CANCELLED, user, reason)
    _record(obj, ReviewEvent.Kind.SCHEDULE_CANCELLED, user, digest=item.source_digest, note=reason)
    notifications.schedule_closed(obj, item)


def schedule_publish(obj, user, publish_at) -> ScheduledPublication:
    """Order the approved current version to go live at publish_at, as user.

    The order names the sign-off and source digest approved now; at its time the page goes live
    through publish() only if both still hold (see publish_scheduled).
    """
    with transaction.atomic():
        obj = _locked(obj)
        s = situation(obj)
        _refuse_unless_allowed(check_schedule_publish, s, user)
        now = clock.now()
        if publish_at <= now:
            raise WorkflowError(
                "Choose a time in the future for the publication, or publish the page now."
            )
        item = ScheduledPublication.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            sign_off=s.approved,
            source_digest=s.digest,
            publish_at=publish_at,
            scheduled_by=user,
            scheduled_at=now,
        )
        _record(
            obj,
            ReviewEvent.Kind.SCHEDULED,
            user,
            digest=s.digest,
            note=f"To go live on {_moment(publish_at)}.",
        )
        scheduled_publishing.run_at_its_time(item)
    return item


def cancel_scheduled(obj, user, reason="") -> ScheduledPublication:
    """Cancel the page's pending scheduled publication; the page stays as it is."""
    with transaction.atomic():
        obj = _locked(obj)
        s = situation(obj)
        _refuse_unless_allowed(check_cancel_scheduled, s, user)
        item = s.scheduled
        _close(item, ScheduledPublication.Status.CANCELLED, user, reason.strip())
        _record(
            obj,
            ReviewEvent.Kind.SCHEDULE_CANCELLED,
            user,
            digest=item.source_digest,
            note=(reason.strip() or f"It was to go live on {_moment(item.publish_at)}."),
        )
        notifications.schedule_closed(obj, item)
    return item


def publish_scheduled(item_id) -> ScheduledPublication | None:
    """Carry out one scheduled publication whose time has come; None if there is nothing to do.

    Publishes through publish(), as the publisher who scheduled it, only the version that was
    approved when it was scheduled. If the page changed since, the approval lapsed, or publish()
    refuses, nothing goes live: the order is marked refused with the reason, the timeline says
    so, and the publisher is told.
    """
    with transaction.atomic():
        item = (
            ScheduledPublication.objects.select_for_update()
            .filter(pk=item_id, status=ScheduledPublication.Status.SCHEDULED)
            .first()
        )
        if item is None or item.publish_at > clock.now():
            return None
        obj = item.content_object
        if obj is None:
            _close(item, ScheduledPublication.Status.REFUSED, None, "The page no longer exists.")
            return item
        reasons = _schedule_lapsed(obj, item)
        if not reasons:
            # Closed first, so publish() does not take this order for one it overtakes.
            _close(item, ScheduledPublication.Status.PUBLISHED, None, "")
            try:
                item.publication = publish(obj, item.scheduled_by)
            except WorkflowError as refusal:
                reasons = [str(refusal)]
            else:
                item.save(update_fields=["publication"])
        if reasons:
            reason = " ".join(reasons)
            _close(item, ScheduledPublication.Status.REFUSED, None, reason)
            _record(
                obj, ReviewEvent.Kind.SCHEDULE_REFUSED, None, digest=item.source_digest, note=reason
            )
        notifications.schedule_closed(obj, item)
    return item


def publish_due_scheduled() -> list[ScheduledPublication]:
    """Carry out every scheduled publication whose time has come (a worker's sweep)."""
    due = ScheduledPublication.objects.due(clock.now()).values_list("pk", flat=True)
    return [item for item in map(publish_scheduled, list(due)) if item is not None]


def _schedule_lapsed(obj, item) -> list[str]:
    s = situation(obj)
    scheduled = _moment(item.scheduled_at)
    if s.digest != item.source_digest:
        return [
            f"The page changed after it was scheduled on {scheduled}: the version "
            f"{item.sign_off.signature} approved is no longer the page's text. Nothing was "
            "published; the new version needs a review."
        ]
    if s.approved is None or s.approved.pk != item.sign_off_id:
        return [
            f"The approval by {item.sign_off.signature} no longer holds (a physician asked for "
            "changes since). Nothing was published."
        ]
    return []


def _close(item, status, user, reason):
    item.status = status
    item.reason = reason
    item.closed_at = clock.now()
    item.closed_by = user
    item.save()


def unpublish(obj, user, reason) -> ReviewEvent:
    """Take the page off the public site; its publications stay on record."""
    with transaction.atomic():
        obj = _locked(obj)
        _refuse_unless_allowed(check_unpublish, situation(obj), user)
        if not (reason or "").strip():
            raise WorkflowError("Give a reason for unpublishing: it goes on the page's timeline.")
        return _take_down(obj, user, reason)


def withdraw_overdue(obj) -> ReviewEvent:
    """Take down a page whose review has expired, under OVERDUE_POLICY = "unpublish".

    Recorded on the timeline with no person as the actor: the review interval did it.
    """
    live = live_publication(obj)
    if live is None or not _expired(live.sign_off):
        raise WorkflowError("This page is not live with an overdue review.")
    reason = (
        f"Review overdue: the sign-off by {live.sign_off.signature} on "
        f"{_date(live.sign_off.signed_at)} expired after {settings.REVIEW_INTERVAL_DAYS} days."
    )
    return _take_down(obj, None, reason)


def withdraw_retracted(obj, notice) -> ReviewEvent:
    """Take down a live page that cites a reference retracted since it was published.

    Recorded on the timeline with no person as the actor and the retraction notice as reason.
    """
    return _take_down(obj, None, f"A reference it cites was retracted: {notice}")


def _take_down(obj, user, reason) -> ReviewEvent:
    with transaction.atomic():
        obj = _locked(obj)
        live = (
            LivePublication.objects.filter(
                content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
            )
            .select_related("publication")
            .first()
        )
        if live is None:
            raise WorkflowError("This page is not published.")
        live.delete()
        event = _record(
            obj,
            ReviewEvent.Kind.UNPUBLISHED,
            user,
            digest=live.publication.source_digest,
            note=reason,
        )
        _run_page_step(obj, "on_unpublish", live.publication, "unpublished")
        _write_state(obj, user)
        _after_commit(unpublished, obj, live.publication)
        return event


def _run_page_step(obj, hook, publication, done):
    step = getattr(obj, hook, None)
    if step is None:
        return
    try:
        step(publication)
    except WorkflowError:
        raise
    except Exception as error:
        logger.exception("%s of %s failed", hook, obj)
        raise WorkflowError(
            f"The page could not be {done}: preparing it for the public site failed "
            f"({type(error).__name__}: {error}). Nothing was changed."
        ) from error


def _after_commit(signal, obj, publication):
    sender = type(obj)
    transaction.on_commit(lambda: signal.send_robust(sender, instance=obj, publication=publication))


# The save path and deletion.


def record_change(obj, user=None) -> ReviewState:
    """Content of obj was saved (by user, when known): keep its stored review state current.

    Called by the save path of the content types after every recorded save, including saves of
    the references and treatments a page shows. A save that leaves the source unchanged changes
    nothing here, so it never makes anyone the author of a change.
    """
    return _write_state(obj, user, changed=True)


def _write_state(obj, user, *, changed=False, digest=None) -> ReviewState:
    s = situation(obj, digest)
    row = s.row
    if changed and row.source_digest != s.digest and user and user.pk not in row.changed_by:
        row.changed_by = [*row.changed_by, user.pk]
    if s.latest_sign_off is not None and s.latest_sign_off.source_digest == s.digest:
        row.changed_by = []  # the version is what was signed: no one's change is in it
    row.state = s.state
    row.source_digest = s.digest
    row.submission = s.submission
    row.changes_request = s.changes_request
    row.sign_off = s.latest_sign_off
    row.publication = s.live
    row.review_due_at = review_expires_at(s.live.sign_off) if s.live else None
    row.save()
    return row


def refuse_deleting_live(model, pks) -> None:
    """The model's guard: a live page is never deleted, whoever asks and however."""
    live = LivePublication.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=list(pks)
    ).values_list("slug", flat=True)
    if live:
        raise WorkflowError(
            "A live page cannot be deleted: unpublish it first ("
            + ", ".join(f"/{slug}/" for slug in live)
            + ")."
        )


def forget_deleted(model, pks) -> None:
    """Drop the review state of deleted objects; their records stay on the timeline."""
    ReviewState.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=list(pks)
    ).delete()


# Reading records.


def last_editor(obj):
    """The user of the newest django-reversion revision of the object, if any."""
    version = Version.objects.get_for_object(obj).select_related("revision__user").first()
    return version.revision.user if version else None


def publish_blockers(obj, user=None, *, document=None, digest=None, known=None) -> list[str]:
    """Everything that stops the object's current document from being published, in plain words.

    Empty when publishing is allowed. The admin shows the same list that publish() enforces.
    known: the object's Situation, when the caller has read it already.
    """
    s = known or situation(obj, digest, document=document)
    blockers = []
    if user is not None and not user.has_perm("reviews.publish_page"):
        blockers.append(NO_PUBLISH_PERMISSION)
    blockers += s.problems
    blockers += _sign_off_blockers(s)
    if s.live is not None and s.approved is not None and s.live.sign_off_id == s.approved.pk:
        blockers.append("This exact version is already live.")
    if _slug_taken(obj, s.document["slug"]):
        blockers.append(f"Another page is already published at the address “{s.document['slug']}”.")
    return blockers


def approved_sign_off(obj, digest) -> SignOff | None:
    """The sign-off that approves this exact source digest now, or None.

    Only the page's newest sign-off counts, and only while no physician has asked for changes
    since: a version that a later review superseded (say, the one a correction replaced) is not
    approved again by reverting to it.
    """
    latest = SignOff.objects.for_object(obj).select_related("physician").latest_first().first()
    return _approving(obj, latest, digest)


def _approving(obj, latest, digest) -> SignOff | None:
    if latest is None or latest.source_digest != digest:
        return None
    overruled = (
        ReviewEvent.objects.for_object(obj)
        .filter(kind=ReviewEvent.Kind.CHANGES_REQUESTED, at__gt=latest.signed_at)
        .exists()
    )
    return None if overruled else latest


def live_publication(obj) -> Publication | None:
    return Publication.objects.for_object(obj).live().select_related("sign_off").first()


def content_problems(obj, document) -> list[str]:
    check = getattr(obj, "document_problems", None)
    return list(check(document)) if check else []


def content_warnings(obj, document=None) -> list[str]:
    """What a reviewer should know about the content that does not stop publishing."""
    check = getattr(obj, "document_warnings", None)
    if check is None:
        return []
    return list(check(document if document is not None else obj.build_document()))


def review_expires_at(sign_off_record):
    return sign_off_record.signed_at + timedelta(days=settings.REVIEW_INTERVAL_DAYS)


def _sign_off_blockers(s: Situation) -> list[str]:
    signed = s.approved
    if signed is None:
        latest = s.latest_sign_off
        if latest is None:
            return ["No physician has signed off this page yet."]
        if latest.source_digest == s.digest:
            return [
                "A physician asked for changes after this version was signed off; "
                "it needs a new sign-off."
            ]
        return [
            f"The page has changed since {latest.signature} signed it off on "
            f"{_date(latest.signed_at)}; a physician must sign off the current version."
        ]
    blockers = []
    if not signed.physician.is_active:
        blockers.append(
            f"{signed.signature} is no longer an active physician; "
            "an active physician must sign off this version."
        )
    if _expired(signed):
        blockers.append(
            f"The sign-off by {signed.signature} on {_date(signed.signed_at)} is older than the "
            f"{settings.REVIEW_INTERVAL_DAYS}-day review interval; a physician must review the "
            "page again."
        )
    return blockers


def _expired(sign_off_record) -> bool:
    return review_expires_at(sign_off_record) <= clock.now()


def _locked(obj):
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _record(obj, kind, user, *, digest="", note="", **summary) -> ReviewEvent:
    return audit_chain.append(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind=kind,
        actor=user,
        digest=digest,
        note=(note or "").strip(),
        at=clock.now(),
        **summary,
    )


def proposed_summary(obj, digest) -> ReviewEvent | None:
    """The newest submission of exactly this content: it carries the editor's change summary."""
    return (
        ReviewEvent.objects.for_object(obj)
        .filter(kind=ReviewEvent.Kind.SUBMITTED, digest=digest)
        .first()
    )


def _approved_summary(obj, digest, change_summary, clinically_significant) -> dict:
    proposal = proposed_summary(obj, digest)
    if change_summary is None:
        change_summary = proposal.change_summary if proposal else ""
    if clinically_significant is None:
        clinically_significant = proposal.clinically_significant if proposal else False
    return {
        "change_summary": change_summary.strip(),
        "clinically_significant": bool(clinically_significant),
    }


def _slug_taken(obj, slug) -> bool:
    return (
        LivePublication.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), slug=slug
        )
        .exclude(object_id=obj.pk)
        .exists()
    )


def _name(user) -> str:
    if user is None:
        return "The system"
    return user.get_full_name() or user.get_username()


def _date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "F j, Y")


def _moment(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "F j, Y, H:i")
