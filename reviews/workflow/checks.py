"""The checks: who may take each step now, from what state. Each returns its refusals.

Each step has a check, ``check_<step>(situation, user)`` returning the reasons it is refused
(empty: allowed); the step runs its check and raises WorkflowError with those reasons, shown
as-is, and ``allowed_steps(obj, user)`` tells a screen which buttons to offer from the very same
checks. publish_blockers() is the list the admin shows beside a disabled Publish button.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from reviews.errors import WorkflowError
from reviews.models import LivePublication, Physician
from reviews.workflow.facts import Situation, State, expired, last_editor, situation
from reviews.workflow.wording import day, moment, person
from tovani.read_once import once

NO_PUBLISH_PERMISSION = "You do not have permission to publish pages."


def check_submit(s: Situation, user) -> list[str]:
    opts = s.obj._meta
    if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        return ["Only an editor of this page can submit it for review."]
    if s.state in {State.APPROVED, State.LIVE}:
        return [f"This page is {s.state.label.lower()}; there is nothing to submit."]
    submission = s.submission
    if submission is not None and submission.digest == s.digest:
        return [
            f"This version is already in review: {person(submission.actor)} submitted it on "
            f"{day(submission.at)}."
        ]
    if s.problems:
        return ["This page cannot be submitted yet: " + " ".join(s.problems)]
    return []


def check_sign_off(s: Situation, user) -> list[str]:
    refusals = reviewer_refusals(s, user)
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
    refusals = reviewer_refusals(s, user)
    if refusals:
        return refusals
    if s.submission is None:
        if s.changes_request is not None:
            return [
                f"Changes were already requested by {person(s.changes_request.actor)} on "
                f"{day(s.changes_request.at)}; nothing new has been submitted since."
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
            f"This page is already scheduled to go live on {moment(s.scheduled.publish_at)} "
            f"({person(s.scheduled.scheduled_by)} scheduled it); cancel that first."
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


def check_schedule_takedown(s: Situation, user) -> list[str]:
    if not user.has_perm("reviews.publish_page"):
        return ["Only a publisher can schedule a page to come off the public site."]
    if s.live is None:
        return ["This page is not published, so there is nothing to take down."]
    if s.takedown is not None:
        return [
            f"This page is already scheduled to come off the site on "
            f"{moment(s.takedown.take_down_at)} ({person(s.takedown.scheduled_by)} scheduled "
            "it); cancel that first."
        ]
    return []


def check_cancel_takedown(s: Situation, user) -> list[str]:
    if not user.has_perm("reviews.publish_page"):
        return ["Only a publisher can cancel a scheduled take-down."]
    if s.takedown is None:
        return ["No take-down is scheduled for this page."]
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
    "schedule_takedown": check_schedule_takedown,
    "cancel_takedown": check_cancel_takedown,
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


def refuse_unless_allowed(check, s, user):
    reasons = check(s, user)
    if reasons:
        raise WorkflowError(" ".join(reasons))


def reviewer_refusals(s: Situation, user) -> list[str]:
    # Asked by each step's check in turn: once a screen (tovani.read_once).
    physician = once(("physician_of", user.pk), Physician.objects.filter(user=user).first)
    if physician is None:
        return ["Only a physician can review a page: your account has no physician profile."]
    if not physician.is_active:
        return [f"{physician.signature} is not an active physician and cannot review pages."]
    if not user.has_perm("reviews.sign_off_page"):
        return [
            "You do not have permission to sign off pages or request changes, although your "
            "account has a physician profile: ask an administrator for the Physicians role."
        ]
    # A kind of page may ask more of its reviewer (a translation: one who reads its language).
    if refused := s.obj.reviewer_refusals(user, physician):
        return refused
    approval = s.fresh_approval
    if approval is not None:
        return [
            f"This version is already signed off by {approval.signature} on "
            f"{day(approval.signed_at)}; there is nothing to review."
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
            f"{day(latest.signed_at)}; a physician must sign off the current version."
        ]
    blockers = []
    if not signed.physician.is_active:
        blockers.append(
            f"{signed.signature} is no longer an active physician; "
            "an active physician must sign off this version."
        )
    if expired(signed):
        blockers.append(
            f"The sign-off by {signed.signature} on {day(signed.signed_at)} is older than the "
            f"{settings.REVIEW_INTERVAL_DAYS}-day review interval; a physician must review the "
            "page again."
        )
    return blockers


def _slug_taken(obj, slug) -> bool:
    return (
        LivePublication.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), slug=slug
        )
        .exclude(object_id=obj.pk)
        .exists()
    )
