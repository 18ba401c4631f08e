"""A page's review status as one person sees it: the facts and the steps open to them.

The admin's workflow panel and review screen read this. It holds no rule of its own: which
steps are open, and why the others are not, come from the steps' checks in reviews.workflow,
which run again when a step is taken.
"""

from dataclasses import dataclass, field

from reviews import workflow
from reviews.models import Publication, SignOff
from reviews.workflow import State


@dataclass
class ReviewStatus:
    state: State
    digest: str
    live: Publication | None
    latest_sign_off: SignOff | None
    problems: list[str]
    warnings: list[str]
    refusals: dict[str, list[str]] = field(default_factory=dict)
    document: dict | None = None

    @property
    def publish_blockers(self) -> list[str]:
        return self.refusals.get("publish", [])

    @property
    def can_submit(self) -> bool:
        return not self.refusals.get("submit")

    @property
    def can_sign_off(self) -> bool:
        return not self.refusals.get("sign_off")

    @property
    def can_request_changes(self) -> bool:
        return not self.refusals.get("request_changes")

    @property
    def can_review(self) -> bool:
        return self.can_sign_off or self.can_request_changes

    @property
    def review_refusals(self) -> list[str]:
        """Why this person can neither sign off nor request changes now."""
        return self.refusals.get("sign_off", []) if not self.can_review else []

    @property
    def may_publish(self) -> bool:
        """Whether publishing is this person's job at all (a disabled button then says why)."""
        return workflow.NO_PUBLISH_PERMISSION not in self.publish_blockers

    @property
    def can_publish(self) -> bool:
        return not self.publish_blockers

    @property
    def can_unpublish(self) -> bool:
        return not self.refusals.get("unpublish")

    @property
    def unreviewed_changes(self) -> bool:
        return self.latest_sign_off is None or self.latest_sign_off.source_digest != self.digest

    @property
    def review_expires_at(self):
        return workflow.review_expires_at(self.live.sign_off) if self.live else None


def review_status(obj, user, *, document=None, digest=None) -> ReviewStatus:
    """The status of obj for user; pass the current document and digest if already built."""
    s = workflow.situation(obj, digest, document=document)
    return ReviewStatus(
        state=s.state,
        digest=s.digest,
        live=s.live,
        latest_sign_off=s.latest_sign_off,
        problems=s.problems,
        warnings=workflow.content_warnings(obj, s.document),
        refusals=workflow.refusals_in(s, user),
        document=s.document,
    )
