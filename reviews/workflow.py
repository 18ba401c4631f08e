"""The review workflow: the one place its rules live.

The admin, the API, management commands and the shell all call these functions, so a rule holds
whichever door a person comes through. Each refusal raises WorkflowError with a message meant to
be shown as-is.

A publishable object offers ``build_document() -> dict`` (plain, deterministic JSON data) and may
offer ``document_problems(document) -> list[str]`` for content that must never be signed or
published, such as a citation of a reference that does not exist or was retracted, and
``document_warnings(document) -> list[str]`` for what a reviewer should see but that does not
stop publishing.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import formats, timezone
from reversion.models import Version

from reviews import clock, notifications
from reviews.digest import document_digest
from reviews.errors import WorkflowError
from reviews.models import LivePublication, Physician, Publication, ReviewEvent, SignOff
from reviews.reauthentication import confirm_password
from reviews.signals import published, unpublished


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved, not yet published"
    LIVE = "live", "Live"
    LIVE_WITH_UNREVIEWED_CHANGES = "live_with_unreviewed_changes", "Live, with unreviewed changes"
    REVIEW_OVERDUE = "review_overdue", "Live, review overdue"


def current_document(obj) -> tuple[dict, str]:
    """The object's document as it stands now, and its digest."""
    document = obj.build_document()
    return document, document_digest(document)


def state(obj, digest=None) -> State:
    """Where the object stands in review, as one of State (digest: of its current document)."""
    return _state_at(obj, digest or current_document(obj)[1])


def _state_at(obj, digest) -> State:
    live = live_publication(obj)
    if live is not None and live.digest == digest:
        return State.REVIEW_OVERDUE if _expired(live.sign_off) else State.LIVE
    signed = approved_sign_off(obj, digest)
    if signed is not None and not _expired(signed):
        return State.APPROVED
    if live is not None:
        return State.LIVE_WITH_UNREVIEWED_CHANGES
    decision = ReviewEvent.objects.for_object(obj).decisions().first()
    if decision is None:
        return State.DRAFT
    if decision.kind == ReviewEvent.Kind.CHANGES_REQUESTED:
        return State.CHANGES_REQUESTED
    return State.IN_REVIEW


def submit_for_review(obj, user, note="") -> ReviewEvent:
    """Ask the physicians to review the object's current content."""
    opts = obj._meta
    if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        raise WorkflowError("Only an editor of this page can submit it for review.")
    document, digest = current_document(obj)
    problems = content_problems(obj, document)
    if problems:
        raise WorkflowError("This page cannot be submitted yet: " + " ".join(problems))
    current = _state_at(obj, digest)
    if current in {State.IN_REVIEW, State.APPROVED, State.LIVE}:
        raise WorkflowError(f"This page is {current.label.lower()}; there is nothing to submit.")
    event = _record(obj, ReviewEvent.Kind.SUBMITTED, user, digest=digest, note=note)
    notifications.review_requested(obj, event)
    return event


def request_changes(obj, user, note) -> ReviewEvent:
    """A physician sends the page back to the editors, saying what to change."""
    _signing_physician(user)
    if not (note or "").strip():
        raise WorkflowError("Say what needs to change: a note is required to request changes.")
    _, digest = current_document(obj)
    event = _record(obj, ReviewEvent.Kind.CHANGES_REQUESTED, user, digest=digest, note=note)
    notifications.decision_made(obj, event)
    return event


def sign_off(obj, user, password, note="", *, reviewed_digest=None, request=None) -> SignOff:
    """Record that a physician approved exactly the object's current document.

    A screen that showed the physician a version passes its digest as reviewed_digest, so a
    change saved while they were reading is never signed unseen.
    """
    physician = _signing_physician(user)
    confirm_password(user, password, request)
    if settings.REQUIRE_INDEPENDENT_REVIEW and last_editor(obj) == user:
        raise WorkflowError(
            "You made the latest change to this page, so another physician must sign it off."
        )
    document, digest = current_document(obj)
    if reviewed_digest is not None and reviewed_digest != digest:
        raise WorkflowError(
            "The page changed while you were reviewing it. The sign-off was not recorded: "
            "review the new version."
        )
    problems = content_problems(obj, document)
    if problems:
        raise WorkflowError("This page cannot be signed off yet: " + " ".join(problems))
    with transaction.atomic():
        signed = SignOff.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            physician=physician,
            signature=physician.signature,
            digest=digest,
            document=document,
            note=note.strip(),
            signed_at=clock.now(),
        )
        event = _record(obj, ReviewEvent.Kind.SIGNED_OFF, user, digest=digest, note=note)
        notifications.decision_made(obj, event)
    return signed


def unpublish(obj, user, reason) -> ReviewEvent:
    """Take the page off the public site; its publications stay on record."""
    if not user.has_perm("reviews.publish_page"):
        raise WorkflowError("You do not have permission to unpublish pages.")
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


def _take_down(obj, user, reason) -> ReviewEvent:
    with transaction.atomic():
        obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
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
            obj, ReviewEvent.Kind.UNPUBLISHED, user, digest=live.publication.digest, note=reason
        )
        unpublished.send(type(obj), instance=obj, publication=live.publication)
        return event


def last_editor(obj):
    """The user of the newest django-reversion revision of the object, if any."""
    version = Version.objects.get_for_object(obj).select_related("revision__user").first()
    return version.revision.user if version else None


def publish(obj, user) -> Publication:
    """Make the object's current, signed-off document the one the public sees."""
    with transaction.atomic():
        # Lock the page row: a second publisher waits here, then finds the page already live.
        obj = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        document, digest = current_document(obj)
        blockers = publish_blockers(obj, user, document=document, digest=digest)
        if blockers:
            raise WorkflowError(" ".join(blockers))
        now = clock.now()
        publication = Publication.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            slug=document["slug"],
            title=document["title"],
            digest=digest,
            document=document,
            sign_off=approved_sign_off(obj, digest),
            published_at=now,
            published_by=user,
        )
        _record(obj, ReviewEvent.Kind.PUBLISHED, user, digest=digest)
        LivePublication.objects.update_or_create(
            content_type=publication.content_type,
            object_id=obj.pk,
            defaults={"slug": publication.slug, "publication": publication, "live_since": now},
        )
        published.send(type(obj), instance=obj, publication=publication)
    return publication


def publish_blockers(obj, user=None, *, document=None, digest=None) -> list[str]:
    """Everything that stops the object's current document from being published, in plain words.

    Empty when publishing is allowed. The admin shows the same list that publish() enforces.
    """
    if document is None:
        document, digest = current_document(obj)
    blockers = []
    if user is not None and not user.has_perm("reviews.publish_page"):
        blockers.append("You do not have permission to publish pages.")
    blockers += content_problems(obj, document)
    signed = approved_sign_off(obj, digest)
    blockers += _sign_off_blockers(obj, signed, digest)
    live = live_publication(obj)
    if live is not None and signed is not None and live.sign_off_id == signed.pk:
        blockers.append("This exact version is already live.")
    if _slug_taken(obj, document["slug"]):
        blockers.append(f"Another page is already published at the address “{document['slug']}”.")
    return blockers


def approved_sign_off(obj, digest) -> SignOff | None:
    """The sign-off that approves this exact digest now, or None.

    Only the page's newest sign-off counts, and only while no physician has asked for changes
    since: a version that a later review superseded (say, the one a correction replaced) is not
    approved again by reverting to it.
    """
    signed = SignOff.objects.for_object(obj).select_related("physician").latest_first().first()
    if signed is None or signed.digest != digest:
        return None
    overruled = (
        ReviewEvent.objects.for_object(obj)
        .filter(kind=ReviewEvent.Kind.CHANGES_REQUESTED, at__gt=signed.signed_at)
        .exists()
    )
    return None if overruled else signed


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


def _sign_off_blockers(obj, signed, digest) -> list[str]:
    if signed is None:
        latest = SignOff.objects.for_object(obj).latest_first().first()
        if latest is None:
            return ["No physician has signed off this page yet."]
        if latest.digest == digest:
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


def _record(obj, kind, user, *, digest="", note="") -> ReviewEvent:
    return ReviewEvent.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind=kind,
        actor=user,
        digest=digest,
        note=(note or "").strip(),
        at=clock.now(),
    )


def _slug_taken(obj, slug) -> bool:
    return (
        LivePublication.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), slug=slug
        )
        .exclude(object_id=obj.pk)
        .exists()
    )


def _signing_physician(user) -> Physician:
    physician = Physician.objects.filter(user=user).first()
    if physician is None:
        raise WorkflowError(
            "Only a physician can sign off a page: your account has no physician profile."
        )
    if not physician.is_active:
        raise WorkflowError(
            f"{physician.signature} is not an active physician and cannot sign off."
        )
    return physician


def _date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "F j, Y")
