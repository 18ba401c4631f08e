"""E-mail about review steps: to the physicians on submission; to the submitting editor on a
decision, and to the publishers on a sign-off; to the publisher who scheduled a publication when
it goes live, is refused or is cancelled by someone else.

Each message is written while the step runs, so its links carry the site's address
(tovani.site_url: SITE_URL, or in development the address the step's request came to), and is
queued as a background task once the step's transaction commits. A slow or failing mail server
therefore never holds up or undoes the sign-off or request it reports; the task retries it.
"""

import zoneinfo

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from reviews.models import Physician, ReviewEvent
from tovani.site_url import absolute_url
from tovani.tasks import enqueue_on_commit, send_email


def physicians_to_tell(actor) -> list:
    """The users told that a page waits for review: the active physicians but the submitter."""
    return [
        physician.user
        for physician in Physician.objects.active().exclude(user=actor).select_related("user")
    ]


def editors_to_tell(obj, actor) -> list:
    """The editor told of a physician's decision: who submitted (or last changed) the page."""
    editor = _editor_of(obj)
    return [] if editor is None or editor == actor else [editor]


def publishers_to_tell(actor) -> list:
    """The publishers told that a signed-off page is ready to publish."""
    return [user for user in publishers() if user != actor]


def who_was_told(who: str, users) -> str:
    """In words, for the person who took the step: who was e-mailed and who could not be."""
    told = [_name(user) for user in users if user.email]
    untold = [_name(user) for user in users if not user.email]
    if not users:
        return f"No {who} to tell."
    said = [f"E-mailed the {who}: {', '.join(told)}." if told else f"No {who} could be e-mailed."]
    if untold:
        said.append(f"Not told (no e-mail address on file): {', '.join(untold)}.")
    return " ".join(said)


def review_requested(obj, event: ReviewEvent) -> None:
    """Tell the active physicians that a page waits for their review."""
    recipients = [user.email for user in physicians_to_tell(event.actor) if user.email]
    body = [f"{_name(event.actor)} submitted “{obj}” for clinical review."]
    if event.note:
        body.append(f"Their note: {event.note}")
    body.append(f"Review it here: {_admin_url(obj, 'review')}")
    _send_after_commit(f"Review requested: {obj}", "\n\n".join(body), recipients)


def decision_made(obj, event: ReviewEvent) -> None:
    """Tell the editor who submitted the page (or last changed it) what the physician decided;
    on a sign-off, tell the publishers the page is ready to publish."""
    if event.kind == ReviewEvent.Kind.SIGNED_OFF:
        _ready_to_publish(obj, event)
    editor = next(iter(editors_to_tell(obj, event.actor)), None)
    if editor is None or not editor.email:
        return
    verdict = event.get_kind_display().lower()
    body = [f"{_name(event.actor)}: {verdict} for “{obj}”."]
    if event.note:
        body.append(f"Note: {event.note}")
    if event.kind == ReviewEvent.Kind.CHANGES_REQUESTED:
        body += _open_comments(obj)
    body.append(f"The page: {_admin_url(obj, 'change')}")
    _send_after_commit(f"{event.get_kind_display()}: {obj}", "\n\n".join(body), [editor.email])


def _ready_to_publish(obj, event: ReviewEvent) -> None:
    recipients = [user.email for user in publishers_to_tell(event.actor) if user.email]
    body = [
        f"{_name(event.actor)} signed off “{obj}”: it is ready to publish.",
        f"Publish it, or schedule it, here: {_admin_url(obj, 'change')}",
    ]
    _send_after_commit(f"Ready to publish: {obj}", "\n\n".join(body), recipients)


def schedule_closed(obj, item) -> None:
    """Tell the publisher who scheduled a publication what became of it."""
    publisher = item.scheduled_by
    if not publisher.email or publisher == item.closed_by:
        return
    status = item.Status
    when = _in_zone_of(publisher, item.publish_at)
    subject, first = {
        status.PUBLISHED: (
            "Published as scheduled",
            f"“{obj}” went live as you scheduled for {when}.",
        ),
        status.REFUSED: (
            "Scheduled publication refused",
            f"“{obj}” was not published at the time you scheduled, {when}.",
        ),
        status.CANCELLED: (
            "Scheduled publication cancelled",
            f"{_name(item.closed_by)} cancelled the publication of “{obj}” you scheduled for "
            f"{when}.",
        ),
    }[item.status]
    body = [first]
    if item.reason:
        body.append(f"Why: {item.reason}")
    body.append(f"The page: {_admin_url(obj, 'change')}")
    _send_after_commit(f"{subject}: {obj}", "\n\n".join(body), [publisher.email])


def takedown_closed(obj, item) -> None:
    """Tell the publisher who scheduled a take-down what became of it, with its time in their
    own zone."""
    publisher = item.scheduled_by
    if not publisher.email or publisher == item.closed_by:
        return
    status = item.Status
    when = _in_zone_of(publisher, item.take_down_at)
    subject, first = {
        status.DONE: (
            "Taken down as scheduled",
            f"“{obj}” came off the public site as you scheduled for {when}.",
        ),
        status.REFUSED: (
            "Scheduled take-down refused",
            f"“{obj}” was not taken down at the time you scheduled, {when}.",
        ),
        status.CANCELLED: (
            "Scheduled take-down cancelled",
            f"{_name(item.closed_by)} cancelled the take-down of “{obj}” you scheduled for {when}.",
        ),
    }[item.status]
    body = [first]
    if item.reason:
        body.append(f"Why: {item.reason}")
    body.append(f"The page: {_admin_url(obj, 'change')}")
    _send_after_commit(f"{subject}: {obj}", "\n\n".join(body), [publisher.email])


def publishers():
    """The active users who may publish pages (by their group or their own permission)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    permission = Permission.objects.filter(
        codename="publish_page", content_type__app_label="reviews"
    ).first()
    if permission is None:
        return []
    return list(
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions=permission) | Q(user_permissions=permission))
        .distinct()
    )


def _open_comments(obj) -> list[str]:
    from reviews.models import ReviewComment

    comments = ReviewComment.objects.for_object(obj).open().select_related("author")
    if not comments:
        return []
    lines = [f"- {c.anchor_label} (“{_clip(c.quote)}”): {c.body}" for c in comments]
    return ["Open comments on the text:\n" + "\n".join(lines)]


def _clip(text, length=80) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _editor_of(obj):
    submission = (
        ReviewEvent.objects.for_object(obj)
        .filter(kind=ReviewEvent.Kind.SUBMITTED)
        .select_related("actor")
        .first()
    )
    if submission is not None:
        return submission.actor
    from reviews.workflow.facts import last_editor

    return last_editor(obj)


def _in_zone_of(user, at) -> str:
    """A moment as user reads it: in their own time zone, named (the worker runs in the site's)."""
    from reviews.time_zones import zone_name_of
    from reviews.workflow.wording import moment

    with timezone.override(zoneinfo.ZoneInfo(zone_name_of(user))):
        return moment(at)


def _send_after_commit(subject, message, recipients):
    if recipients:
        enqueue_on_commit(send_email, subject, message, list(recipients))


def _admin_url(obj, view) -> str:
    meta = obj._meta
    try:
        path = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])
    except NoReverseMatch:
        path = reverse("admin:index")
    return absolute_url(path)


def _name(user) -> str:
    if user is None:
        return "The system"
    physician = getattr(user, "physician", None)
    return physician.signature if physician else (user.get_full_name() or user.get_username())
