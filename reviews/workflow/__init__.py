"""The review workflow: the one place its rules live.

The admin, the API, management commands and the shell all call these functions, so a rule holds
whichever door a person comes through. The package, in the order a step uses it:

  facts.py      what is known about an object (Situation) and derive_state(), the one
                definition of where a page stands, used by the steps and the stored state alike;
  checks.py     check_<step>(situation, user): the refusals of each step, and publish_blockers();
  steps.py      submit_for_review, request_changes, sign_off, publish, unpublish;
  scheduling.py schedule_publish, cancel_scheduled, publish_scheduled;
  takedowns.py  schedule_takedown, cancel_takedown, take_down_scheduled;
  save_path.py  record_change() and the stored ReviewState row, written here only;
  records.py    the locked row and the timeline event every step writes;
  wording.py    how people and moments are named in the messages.

Every public name is importable from here: ``from reviews import workflow; workflow.publish()``.
"""

from reviews.errors import WorkflowError
from reviews.workflow.checks import (
    CHECKS,
    NO_PUBLISH_PERMISSION,
    allowed_steps,
    check_cancel_scheduled,
    check_cancel_takedown,
    check_delete,
    check_publish,
    check_request_changes,
    check_schedule_publish,
    check_schedule_takedown,
    check_sign_off,
    check_submit,
    check_unpublish,
    may_delete_some,
    publish_blockers,
    refusals,
    refusals_in,
)
from reviews.workflow.facts import (
    Situation,
    State,
    approved_sign_off,
    content_problems,
    content_warnings,
    current_document,
    derive_state,
    last_editor,
    live_publication,
    proposed_summary,
    review_expires_at,
    situation,
    state,
    stored_state,
)
from reviews.workflow.joined_read import ROUND_EVENTS
from reviews.workflow.save_path import (
    forget_deleted,
    record_change,
    refuse_deleting_live,
    write_state,
)
from reviews.workflow.scheduling import (
    cancel_scheduled,
    publish_due_scheduled,
    publish_scheduled,
    schedule_publish,
)
from reviews.workflow.steps import (
    publish,
    request_changes,
    sign_off,
    submit_for_review,
    unpublish,
    withdraw_overdue,
    withdraw_retracted,
    withdraw_with_original,
)
from reviews.workflow.takedowns import (
    cancel_takedown,
    schedule_takedown,
    take_down_due,
    take_down_scheduled,
)

__all__ = [
    "CHECKS",
    "NO_PUBLISH_PERMISSION",
    "ROUND_EVENTS",
    "Situation",
    "State",
    "WorkflowError",
    "allowed_steps",
    "approved_sign_off",
    "cancel_scheduled",
    "cancel_takedown",
    "check_cancel_scheduled",
    "check_cancel_takedown",
    "check_delete",
    "check_publish",
    "check_request_changes",
    "check_schedule_publish",
    "check_schedule_takedown",
    "check_sign_off",
    "check_submit",
    "check_unpublish",
    "content_problems",
    "content_warnings",
    "current_document",
    "derive_state",
    "forget_deleted",
    "last_editor",
    "live_publication",
    "may_delete_some",
    "proposed_summary",
    "publish",
    "publish_blockers",
    "publish_due_scheduled",
    "publish_scheduled",
    "record_change",
    "refusals",
    "refusals_in",
    "refuse_deleting_live",
    "request_changes",
    "review_expires_at",
    "schedule_publish",
    "schedule_takedown",
    "sign_off",
    "situation",
    "state",
    "stored_state",
    "submit_for_review",
    "take_down_due",
    "take_down_scheduled",
    "unpublish",
    "withdraw_overdue",
    "withdraw_retracted",
    "withdraw_with_original",
    "write_state",
]
