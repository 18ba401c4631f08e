"""The steps: submit, request changes, sign off, publish, unpublish.

A page offers the Publishable protocol (publishing.protocol; registered kinds are checked for
it): ``build_document()``, ``build_source()`` (what a physician signs: see reviews.digest),
``document_problems()`` and ``document_warnings()``, and ``on_publish(publication)`` /
``on_unpublish(publication)``: the steps it needs to go live or come down (rendering, indexing),
which publish() and unpublish() run inside their transaction.
"""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import Error as DatabaseLayerError
from django.db import transaction

from reviews import clock, notifications, signatures
from reviews.digest import document_digest
from reviews.errors import WorkflowError
from reviews.models import (
    LivePublication,
    Publication,
    ReviewEvent,
    ScheduledPublication,
    ScheduledTakedown,
    SignOff,
)
from reviews.reauthentication import confirm_password
from reviews.signals import published, unpublished
from reviews.workflow.checks import (
    check_publish,
    check_request_changes,
    check_sign_off,
    check_submit,
    check_unpublish,
    refuse_unless_allowed,
    reviewer_refusals,
)
from reviews.workflow.facts import expired, live_publication, proposed_summary, situation
from reviews.workflow.records import after_commit, close_order, locked, record_event
from reviews.workflow.save_path import write_state
from reviews.workflow.wording import day, moment, person

logger = logging.getLogger(__name__)


def submit_for_review(
    obj, user, note="", *, change_summary="", clinically_significant=False
) -> ReviewEvent:
    """Ask the physicians to review the object's current content.

    A new version submitted while an older one is in review replaces it in the queue; both
    submissions and their notes stay on the timeline. change_summary is what the page's public
    history will say changed; the physician approves it with the sign-off.
    """
    with transaction.atomic():
        obj = locked(obj)
        s = situation(obj)
        refuse_unless_allowed(check_submit, s, user)
        event = record_event(
            obj,
            ReviewEvent.Kind.SUBMITTED,
            user,
            digest=s.digest,
            note=note,
            change_summary=(change_summary or "").strip(),
            clinically_significant=clinically_significant,
        )
        write_state(obj, user, digest=s.digest)
        notifications.review_requested(obj, event)
    return event


def request_changes(obj, user, note) -> ReviewEvent:
    """A physician sends the page back to the editors, saying what to change."""
    with transaction.atomic():
        obj = locked(obj)
        s = situation(obj)
        refuse_unless_allowed(check_request_changes, s, user)
        if not (note or "").strip():
            raise WorkflowError("Say what needs to change: a note is required to request changes.")
        event = record_event(
            obj, ReviewEvent.Kind.CHANGES_REQUESTED, user, digest=s.digest, note=note
        )
        write_state(obj, user, digest=s.digest)
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
        obj = locked(obj)
        s = situation(obj)
        reasons = reviewer_refusals(s, user)
        if reasons:
            raise WorkflowError(" ".join(reasons))
        if reviewed_digest is not None and reviewed_digest != s.digest:
            raise WorkflowError(
                "The page changed while you were reviewing it. The sign-off was not recorded: "
                "review the new version."
            )
        refuse_unless_allowed(check_sign_off, s, user)
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
        event = record_event(obj, ReviewEvent.Kind.SIGNED_OFF, user, digest=s.digest, note=note)
        write_state(obj, user, digest=s.digest)
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
        obj = locked(obj)
        s = situation(obj)
        refuse_unless_allowed(check_publish, s, user)
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
        record_event(obj, ReviewEvent.Kind.PUBLISHED, user, digest=s.digest)
        LivePublication.objects.update_or_create(
            content_type=publication.content_type,
            object_id=obj.pk,
            defaults={"slug": publication.slug, "publication": publication, "live_since": now},
        )
        _run_page_step(obj, obj.on_publish, publication, "published")
        write_state(obj, user, digest=s.digest)
        _overtake_scheduled(obj, user, s.scheduled)
        after_commit(published, obj, publication)
    return publication


def _overtake_scheduled(obj, user, item):
    """A page published by hand no longer waits for its scheduled publication."""
    if item is None:
        return
    reason = f"{person(user)} published the page on {moment(clock.now())}, before its time."
    close_order(item, ScheduledPublication.Status.CANCELLED, user, reason)
    record_event(
        obj, ReviewEvent.Kind.SCHEDULE_CANCELLED, user, digest=item.source_digest, note=reason
    )
    notifications.schedule_closed(obj, item)


def unpublish(obj, user, reason) -> ReviewEvent:
    """Take the page off the public site; its publications stay on record."""
    with transaction.atomic():
        obj = locked(obj)
        refuse_unless_allowed(check_unpublish, situation(obj), user)
        if not (reason or "").strip():
            raise WorkflowError("Give a reason for unpublishing: it goes on the page's timeline.")
        return _take_down(obj, user, reason)


def withdraw_overdue(obj) -> ReviewEvent:
    """Take down a page whose review has expired, under OVERDUE_POLICY = "unpublish".

    Recorded on the timeline with no person as the actor: the review interval did it.
    """
    live = live_publication(obj)
    if live is None or not expired(live.sign_off):
        raise WorkflowError("This page is not live with an overdue review.")
    reason = (
        f"Review overdue: the sign-off by {live.sign_off.signature} on "
        f"{day(live.sign_off.signed_at)} expired after {settings.REVIEW_INTERVAL_DAYS} days."
    )
    return _take_down(obj, None, reason)


def withdraw_with_original(obj, reason) -> ReviewEvent:
    """Take down a page whose original came off the public site (a translation whose English
    page was withdrawn), in the same transaction. Recorded with no person as the actor: the
    original's withdrawal did it, and the reason says so."""
    return _take_down(obj, None, reason)


def withdraw_retracted(obj, notice) -> ReviewEvent:
    """Take down a live page that cites a reference retracted since it was published
    (RETRACTED_PAGES = "withdraw").

    Recorded on the timeline with no person as the actor and the retraction notice as reason.
    """
    return _take_down(obj, None, f"A reference it cites was retracted: {notice}")


def _take_down(obj, user, reason) -> ReviewEvent:
    with transaction.atomic():
        obj = locked(obj)
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
        event = record_event(
            obj,
            ReviewEvent.Kind.UNPUBLISHED,
            user,
            digest=live.publication.source_digest,
            note=reason,
        )
        _run_page_step(obj, obj.on_unpublish, live.publication, "unpublished")
        write_state(obj, user)
        _overtake_takedown(obj, user)
        after_commit(unpublished, obj, live.publication)
        return event


def _overtake_takedown(obj, user):
    """A page taken off the site before its time no longer waits for its take-down."""
    item = ScheduledTakedown.objects.for_object(obj).pending().first()
    if item is None:
        return
    reason = f"{person(user)} took the page off the site on {moment(clock.now())}, before its time."
    close_order(item, ScheduledTakedown.Status.CANCELLED, user, reason)
    record_event(obj, ReviewEvent.Kind.TAKEDOWN_CANCELLED, user, note=reason)
    notifications.takedown_closed(obj, item)


def _run_page_step(obj, step, publication, done):
    try:
        step(publication)
    except (WorkflowError, DatabaseLayerError):
        raise  # a lost connection is the project's 503, never a message quoting the driver
    except Exception as error:
        logger.exception("%s of %s failed", step.__name__, obj)
        raise WorkflowError(
            f"The page could not be {done}: preparing it for the public site failed "
            f"({type(error).__name__}: {error}). Nothing was changed."
        ) from error


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
