"""A page's public record: when it was first published, last updated, last reviewed and next
due, and every publication with the change summary its physician approved.

Read from the append-only records only, so what it says of a publication never changes.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Subquery
from django.dispatch import Signal
from django.utils import timezone

from reviews.models import Physician, Publication, SignOff
from reviews.workflow import review_expires_at


@dataclass(frozen=True)
class ReviewFacts:
    """What other apps know of one review: the evidence app, for a page with a saved search,
    the day its inbox was cleared through when the physician signed, and how many new studies
    were screened since the review before, and how many changed the page."""

    evidence_cleared_through: date | None = None
    screened: int | None = None
    practice_changing: int | None = None


# Sent with the page's model as sender, `publication` and `previous_signed_at` (None for the
# first review); a receiver that knows the page's review answers with a ReviewFacts.
review_facts = Signal()


def facts_of(publication: Publication, previous_signed_at: datetime | None = None) -> ReviewFacts:
    model = ContentType.objects.get_for_id(publication.content_type_id).model_class()
    answers = review_facts.send(
        sender=model, publication=publication, previous_signed_at=previous_signed_at
    )
    return next((answer for _, answer in answers if answer is not None), ReviewFacts())


@dataclass(frozen=True)
class Currency:
    """How current a publication is, as the page's byline and the API state it."""

    first_published: datetime
    last_updated: datetime
    last_reviewed: datetime
    next_review_due: date
    reviewer: Physician
    signature: str
    # "YYYY-MM" as the physician signed it, or "" when the page does not state it.
    evidence_reviewed_through: str = ""
    facts: ReviewFacts = ReviewFacts()

    @property
    def evidence_month(self) -> date | None:
        """The first day of the evidence month, for templates to format."""
        if not self.evidence_reviewed_through:
            return None
        year, month = self.evidence_reviewed_through.split("-")
        return date(int(year), int(month), 1)


def with_first_published(publications):
    """Publications annotated with when their page was first published: no query per row."""
    first = (
        Publication.objects.filter(
            content_type_id=OuterRef("content_type_id"), object_id=OuterRef("object_id")
        )
        .order_by("published_at", "pk")
        .values("published_at")[:1]
    )
    return publications.annotate(first_published=Subquery(first))


def currency(publication: Publication) -> Currency:
    """The dates of a publication. Costs a query for the page's first publication unless the
    publication came through with_first_published(), and one for the reviewer unless the
    sign-off came with its physician."""
    sign_off = publication.sign_off
    first = getattr(publication, "first_published", None)
    if first is None:
        first = with_first_published(Publication.objects.filter(pk=publication.pk)).values_list(
            "first_published", flat=True
        )[0]
    return Currency(
        first_published=first or publication.published_at,
        last_updated=publication.published_at,
        last_reviewed=sign_off.signed_at,
        next_review_due=next_review_due(sign_off),
        reviewer=sign_off.physician,
        signature=sign_off.signature,
        evidence_reviewed_through=publication.document.get("evidence_reviewed_through", ""),
        facts=facts_of(publication),
    )


def next_review_due(sign_off: SignOff) -> date:
    """The day the sign-off's review interval ends: the page must be reviewed again by then."""
    return timezone.localtime(review_expires_at(sign_off)).date()


def with_review_facts(publications: list[Publication]) -> list[Publication]:
    """Publications, newest first, each with .review_facts: what was known of its review."""
    for index, item in enumerate(publications):
        before = (
            publications[index + 1].sign_off.signed_at if index + 1 < len(publications) else None
        )
        item.review_facts = facts_of(item, before)
    return publications


def publications_of(publication: Publication):
    """Every publication of the page a publication belongs to, newest first, with the sign-off
    and physician that stamp each; documents unread."""
    return (
        Publication.objects.filter(
            content_type_id=publication.content_type_id, object_id=publication.object_id
        )
        .select_related("sign_off__physician")
        .defer("document", "sign_off__document")
        .order_by("-published_at", "-pk")
    )
