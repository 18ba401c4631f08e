"""Which live pages are due for review again, and telling the physicians."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import formats, timezone

from reviews import clock
from reviews.models import Physician, Publication, ReviewState
from reviews.signals import review_overdue
from reviews.workflow import review_expires_at, withdraw_overdue
from tovani.tasks import enqueue_on_commit, send_email


@dataclass(frozen=True)
class DueReview:
    title: str
    slug: str
    signature: str
    expires_at: datetime
    publication: Publication
    page: object = None

    @property
    def overdue(self) -> bool:
        return self.expires_at <= clock.now()

    def line(self) -> str:
        when = formats.date_format(timezone.localtime(self.expires_at), "F j, Y")
        status = "OVERDUE since" if self.overdue else "due by"
        return f"{self.title} ({self.slug}): last reviewed by {self.signature}, {status} {when}"


def due_review(publication: Publication, page=None) -> DueReview:
    signed = publication.sign_off
    return DueReview(
        publication.title,
        publication.slug,
        signed.signature,
        review_expires_at(signed),
        publication,
        page,
    )


def reviews_due(within_days: int = 30) -> list[DueReview]:
    """Live pages whose sign-off expires within the given days, or has expired, soonest first."""
    rows = (
        ReviewState.objects.review_due(within=timedelta(days=within_days))
        .select_related("publication__sign_off")
        .defer("publication__document", "publication__sign_off__document")
        .order_by("publication__sign_off__signed_at", "pk")
    )
    return [due_review(row.publication) for row in rows]


def withdraw_overdue_pages(due: list[DueReview]) -> list[DueReview]:
    """Unpublish the overdue pages of the list when OVERDUE_POLICY says so; returns them."""
    if settings.OVERDUE_POLICY != "unpublish":
        return []
    withdrawn = [review for review in due if review.overdue]
    for review in withdrawn:
        withdraw_overdue(review.page or review.publication.content_object)
    return withdrawn


def notify_physicians(due: list[DueReview]) -> int:
    """E-mail the active physicians the list (as a background task); returns how many were
    written to."""
    recipients = [
        email for email in Physician.objects.active().values_list("user__email", flat=True) if email
    ]
    if not due or not recipients:
        return 0
    overdue = sum(d.overdue for d in due)
    # Queued for the worker like every e-mail: a slow mail server does not hold up the command.
    enqueue_on_commit(
        send_email,
        f"{len(due)} clinical page(s) due for review ({overdue} overdue)",
        "\n".join(d.line() for d in due),
        recipients,
    )
    return len(recipients)


def announce_overdue(due: list[DueReview]) -> None:
    """Tell the receivers of review_overdue about each overdue page of the list."""
    for review in due:
        if review.overdue:
            review_overdue.send_robust(Publication, publication=review.publication)
