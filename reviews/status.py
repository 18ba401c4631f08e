"""A page's review status as one person sees it: the facts and the steps open to them.

The admin's workflow panel and review screen read this. It holds no rule of its own: which
steps are open, and why the others are not, come from the steps' checks in reviews.workflow,
which run again when a step is taken.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils import formats, timezone

from reviews import rounds, workflow
from reviews.models import Publication, ScheduledPublication, ScheduledTakedown, SignOff
from reviews.workflow import State
from reviews.workflow.wording import moment


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
    standing: str = ""
    note: str = ""
    scheduled: ScheduledPublication | None = None
    takedown: ScheduledTakedown | None = None
    situation: workflow.Situation | None = None

    @cached_property
    def carried_over(self) -> dict:
        """What the next submission offers again (reviews.rounds.carried_over)."""
        return rounds.carried_over(self.situation.obj, self.situation)

    @property
    def can_schedule_takedown(self) -> bool:
        return not self.refusals.get("schedule_takedown")

    @property
    def can_cancel_takedown(self) -> bool:
        return not self.refusals.get("cancel_takedown")

    @property
    def can_schedule(self) -> bool:
        return not self.refusals.get("schedule_publish")

    @property
    def can_cancel_scheduled(self) -> bool:
        return not self.refusals.get("cancel_scheduled")

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
    standing, note = where_it_stands(s)
    return ReviewStatus(
        standing=standing,
        note=note,
        scheduled=s.scheduled,
        takedown=s.takedown,
        state=s.state,
        digest=s.digest,
        live=s.live,
        latest_sign_off=s.latest_sign_off,
        problems=s.problems,
        warnings=workflow.content_warnings(obj, s.document),
        refusals=workflow.refusals_in(s, user),
        document=s.document,
        situation=s,
    )


def where_it_stands(s: workflow.Situation) -> tuple[str, str]:
    """Where the page stands, in words, and the note that goes with it (the submitter's or the
    physician's), for the change page."""
    live = s.live
    if s.state == State.IN_REVIEW:
        event = s.submission
        return f"In review since {_moment(event.at)}, submitted by {_name(event.actor)}", event.note
    if s.state == State.CHANGES_REQUESTED:
        event = s.changes_request
        return f"Changes requested by {_name(event.actor)} on {_moment(event.at)}", event.note
    if s.state == State.APPROVED:
        signed = s.approved
        text = f"Approved by {signed.signature} on {_moment(signed.signed_at)}, not yet published"
        if s.scheduled is not None:
            text += f"; scheduled to go live on {moment(s.scheduled.publish_at)}"
        if live is not None:
            text += f" (an older version is live since {_moment(live.published_at)})"
        return text, signed.note
    if s.state in {State.LIVE, State.REVIEW_OVERDUE}:
        due = workflow.review_expires_at(live.sign_off)
        overdue = "review overdue since" if s.state == State.REVIEW_OVERDUE else "review due"
        text = f"Live since {_moment(live.published_at)}, {overdue} {_day(due)}"
        if s.takedown is not None:
            text += f"; scheduled to come off the site on {moment(s.takedown.take_down_at)}"
        return text, ""
    if s.state == State.LIVE_WITH_UNREVIEWED_CHANGES:
        return (
            f"Live since {_moment(live.published_at)}; the text has changed since and no "
            "physician has reviewed the changes: submit them for review",
            "",
        )
    return "Draft: not yet submitted for review", ""


def _name(user) -> str:
    if user is None:
        return "the system"
    physician = getattr(user, "physician", None)
    if physician is not None:
        return physician.signature
    return user.get_full_name() or user.get_username()


def _moment(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "F j, Y, H:i")


def _day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "F j, Y")
