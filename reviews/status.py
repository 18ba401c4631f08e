"""A page's review status as one person sees it: the facts and the steps open to them.

The admin's workflow panel and review queue read this; the steps themselves are checked again by
the workflow functions when taken, so a button shown here is a convenience, never the gate.
"""

from dataclasses import dataclass

from reviews import workflow
from reviews.models import Physician, Publication, SignOff
from reviews.workflow import State

SUBMITTABLE = {
    State.DRAFT,
    State.CHANGES_REQUESTED,
    State.LIVE_WITH_UNREVIEWED_CHANGES,
    State.REVIEW_OVERDUE,
}
REVIEWABLE = SUBMITTABLE | {State.IN_REVIEW}


@dataclass
class ReviewStatus:
    state: State
    digest: str
    live: Publication | None
    latest_sign_off: SignOff | None
    problems: list[str]
    warnings: list[str]
    publish_blockers: list[str]
    can_submit: bool = False
    can_review: bool = False
    can_publish: bool = False
    can_unpublish: bool = False
    may_publish: bool = False

    @property
    def unreviewed_changes(self) -> bool:
        return self.latest_sign_off is None or self.latest_sign_off.digest != self.digest

    @property
    def review_expires_at(self):
        return workflow.review_expires_at(self.live.sign_off) if self.live else None


def review_status(obj, user, *, document=None, digest=None) -> ReviewStatus:
    """The status of obj for user; pass the current document and digest if already built."""
    if document is None:
        document, digest = workflow.current_document(obj)
    opts = obj._meta
    status = ReviewStatus(
        state=workflow.state(obj, digest),
        digest=digest,
        live=workflow.live_publication(obj),
        latest_sign_off=SignOff.objects.for_object(obj)
        .select_related("physician")
        .latest_first()
        .first(),
        problems=workflow.content_problems(obj, document),
        warnings=workflow.content_warnings(obj, document),
        publish_blockers=workflow.publish_blockers(obj, user, document=document, digest=digest),
    )
    may_edit = user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    status.can_submit = may_edit and status.state in SUBMITTABLE and not status.problems
    status.can_review = (
        user.has_perm("reviews.sign_off_page")
        and Physician.objects.active().filter(user=user).exists()
        and status.state in REVIEWABLE
    )
    status.may_publish = user.has_perm("reviews.publish_page")
    status.can_publish = status.may_publish and not status.publish_blockers
    status.can_unpublish = status.may_publish and status.live is not None
    return status
