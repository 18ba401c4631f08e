"""E-mail about review steps: to physicians on submission, to the editor on a decision.

Each message is written while the step runs, so its links carry the site's address
(tovani.site_url: SITE_URL, or in development the address the step's request came to), and is
queued as a background task once the step's transaction commits. A slow or failing mail server
therefore never holds up or undoes the sign-off or request it reports; the task retries it.
"""

from django.urls import NoReverseMatch, reverse

from reviews.models import Physician, ReviewEvent
from tovani.site_url import absolute_url
from tovani.tasks import enqueue_on_commit, send_email


def review_requested(obj, event: ReviewEvent) -> None:
    """Tell the active physicians that a page waits for their review."""
    recipients = [
        email
        for email in Physician.objects.active()
        .exclude(user=event.actor)
        .values_list("user__email", flat=True)
        if email
    ]
    body = [f"{_name(event.actor)} submitted “{obj}” for clinical review."]
    if event.note:
        body.append(f"Their note: {event.note}")
    body.append(f"Review it here: {_admin_url(obj, 'review')}")
    _send_after_commit(f"Review requested: {obj}", "\n\n".join(body), recipients)


def decision_made(obj, event: ReviewEvent) -> None:
    """Tell the editor who submitted the page (or last changed it) what the physician decided."""
    editor = _editor_of(obj)
    if editor is None or not editor.email or editor == event.actor:
        return
    verdict = event.get_kind_display().lower()
    body = [f"{_name(event.actor)}: {verdict} for “{obj}”."]
    if event.note:
        body.append(f"Note: {event.note}")
    body.append(f"The page: {_admin_url(obj, 'change')}")
    _send_after_commit(f"{event.get_kind_display()}: {obj}", "\n\n".join(body), [editor.email])


def _editor_of(obj):
    submission = (
        ReviewEvent.objects.for_object(obj)
        .filter(kind=ReviewEvent.Kind.SUBMITTED)
        .select_related("actor")
        .first()
    )
    if submission is not None:
        return submission.actor
    from reviews.workflow import last_editor

    return last_editor(obj)


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
