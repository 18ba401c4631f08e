"""The admin's workflow steps as action objects, in the manner of Wagtail's actions/.

Each step is one Action: the form it reads, the workflow check that guards it, what it does
(a call into reviews.workflow or reviews.comments, where every rule lives) and what it says when
done. The admin's views only parse, call and render: take() runs the step and turns a refusal
into the message a person reads.
"""

from collections.abc import Callable
from dataclasses import dataclass

from reviews import comments, notifications, workflow
from reviews.errors import WorkflowError
from reviews.forms import (
    CancelScheduleForm,
    CancelTakedownForm,
    CommentForm,
    ReplyForm,
    RequestChangesForm,
    ResolveForm,
    ScheduleForm,
    SignOffForm,
    SubmitForm,
    TakedownForm,
    UnpublishForm,
)


@dataclass(frozen=True)
class Action:
    """One step a person takes from the admin on a page."""

    form: Callable | None  # (obj, data) -> a bound form, or None when the step reads nothing
    execute: Callable  # (obj, request, cleaned data) -> what the step made
    message: str  # what the admin says when it is done
    check: str = ""  # the workflow check (reviews.workflow.CHECKS) that guards the step
    told: Callable | None = None  # (obj, user) -> who the step e-mailed and who it could not

    def done_message(self, obj, user) -> str:
        """What the admin says when the step is done, naming who was told and who was not."""
        return " ".join([self.message, self.told(obj, user)]) if self.told else self.message

    def bound_form(self, obj, data):
        return self.form(obj, data) if self.form is not None else None

    def refusals(self, obj, user) -> list[str]:
        """Why user may not take the step now, from the step's own check (empty: they may)."""
        return workflow.refusals(obj, user)[self.check] if self.check else []

    def take(self, obj, request, form=None) -> str:
        """Run the step with the valid form's data; the refusal's words, or "" when done."""
        try:
            self.execute(obj, request, form.cleaned_data if form is not None else {})
        except WorkflowError as refusal:
            return str(refusal)
        return ""


def _plain(form_class):
    return lambda obj, data: form_class(data)


SUBMIT = Action(
    _plain(SubmitForm),
    lambda obj, request, data: workflow.submit_for_review(
        obj,
        request.user,
        data["note"],
        change_summary=data["change_summary"],
        clinically_significant=data["clinically_significant"],
    ),
    "Submitted for review.",
    check="submit",
    told=lambda obj, user: notifications.who_was_told(
        "physicians", notifications.physicians_to_tell(user)
    ),
)
SIGN_OFF = Action(
    _plain(SignOffForm),
    lambda obj, request, data: workflow.sign_off(
        obj,
        request.user,
        data["password"],
        data["note"],
        reviewed_digest=data["reviewed_digest"],
        change_summary=data["change_summary"],
        clinically_significant=data["clinically_significant"],
        request=request,
    ),
    "Approved.",
    check="sign_off",
    told=lambda obj, user: " ".join(
        [
            notifications.who_was_told("publishers", notifications.publishers_to_tell(user)),
            notifications.who_was_told("editor", notifications.editors_to_tell(obj, user)),
        ]
    ),
)
REQUEST_CHANGES = Action(
    _plain(RequestChangesForm),
    lambda obj, request, data: workflow.request_changes(obj, request.user, data["note"]),
    "Changes requested.",
    check="request_changes",
    told=lambda obj, user: notifications.who_was_told(
        "editor", notifications.editors_to_tell(obj, user)
    ),
)
PUBLISH = Action(
    None,
    lambda obj, request, data: workflow.publish(obj, request.user),
    "Published. The public page now shows this version.",
    check="publish",
)
UNPUBLISH = Action(
    _plain(UnpublishForm),
    lambda obj, request, data: workflow.unpublish(obj, request.user, data["reason"]),
    "Unpublished. The page is no longer on the public site.",
    check="unpublish",
)
SCHEDULE = Action(
    _plain(ScheduleForm),
    lambda obj, request, data: workflow.schedule_publish(obj, request.user, data["publish_at"]),
    "Scheduled. The page goes live at that time if it is still this approved version; you will "
    "be told either way.",
    check="schedule_publish",
)
CANCEL_SCHEDULED = Action(
    _plain(CancelScheduleForm),
    lambda obj, request, data: workflow.cancel_scheduled(obj, request.user, data["reason"]),
    "The scheduled publication is cancelled. The page stays as it is.",
    check="cancel_scheduled",
)
SCHEDULE_TAKEDOWN = Action(
    _plain(TakedownForm),
    lambda obj, request, data: workflow.schedule_takedown(
        obj, request.user, data["take_down_at"], data["take_down_reason"]
    ),
    "Take-down scheduled. The page comes off the public site at that time, with your reason on "
    "its timeline; you will be told either way.",
    check="schedule_takedown",
)
CANCEL_TAKEDOWN = Action(
    _plain(CancelTakedownForm),
    lambda obj, request, data: workflow.cancel_takedown(obj, request.user, data["reason"]),
    "The scheduled take-down is cancelled. The page stays on the public site.",
    check="cancel_takedown",
)
COMMENT = Action(
    lambda obj, data: CommentForm(data, parts=comments.parts_of(obj)),
    lambda obj, request, data: comments.add_comment(
        obj, request.user, data["anchor"], data["body"]
    ),
    "Comment added. The editor sees it beside that part of the page.",
)
REPLY = Action(
    _plain(ReplyForm),
    lambda obj, request, data: comments.reply(obj, request.user, data["comment"], data["body"]),
    "Reply added.",
)
RESOLVE = Action(
    _plain(ResolveForm),
    lambda obj, request, data: comments.resolve(obj, request.user, data["comment"]),
    "Comment resolved.",
)

# The steps the change page and the review screen post to, by the name in their address.
STEPS = {
    "submit": SUBMIT,
    "publish": PUBLISH,
    "unpublish": UNPUBLISH,
    "schedule": SCHEDULE,
    "cancel_scheduled": CANCEL_SCHEDULED,
    "schedule_takedown": SCHEDULE_TAKEDOWN,
    "cancel_takedown": CANCEL_TAKEDOWN,
    "comment": COMMENT,
    "reply": REPLY,
    "resolve": RESOLVE,
}


def decision(data) -> Action:
    """The physician's decision on the review screen: request changes, or else sign off."""
    return REQUEST_CHANGES if data.get("decision") == "request_changes" else SIGN_OFF
