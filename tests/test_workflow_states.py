"""The review workflow's states and transitions, and the history each step leaves."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reviews import clock, workflow
from reviews.errors import WorkflowError
from reviews.models import ReviewEvent
from reviews.workflow import State
from tests.conftest import PASSWORD, edit, make_user


def test_a_new_page_is_a_draft(condition):
    """Nothing has happened to a new page yet."""
    assert workflow.state(condition) == State.DRAFT


def test_submitting_puts_the_page_in_review(condition, editor):
    """An editor's submission asks the physicians to review."""
    workflow.submit_for_review(condition, editor)
    assert workflow.state(condition) == State.IN_REVIEW


def test_submitting_twice_is_refused(condition, editor):
    """A page already in review cannot be submitted again."""
    workflow.submit_for_review(condition, editor)
    with pytest.raises(WorkflowError, match="in review"):
        workflow.submit_for_review(condition, editor)


def test_requesting_changes_needs_a_note(condition, editor, physician_user):
    """A physician must say what to change."""
    workflow.submit_for_review(condition, editor)
    with pytest.raises(WorkflowError, match="note is required"):
        workflow.request_changes(condition, physician_user, "   ")
    workflow.request_changes(condition, physician_user, "Cite the 2013 trial.")
    assert workflow.state(condition) == State.CHANGES_REQUESTED


def test_only_a_physician_can_request_changes(condition, editor):
    """An editor cannot send a page back as if they were its reviewer."""
    with pytest.raises(WorkflowError, match="no physician profile"):
        workflow.request_changes(condition, editor, "Looks wrong.")


def test_a_sign_off_of_the_current_content_approves_it(condition, editor, physician_user):
    """A page whose current content is signed off is approved, awaiting publication."""
    workflow.submit_for_review(condition, editor)
    workflow.sign_off(condition, physician_user, PASSWORD)
    assert workflow.state(condition) == State.APPROVED


def test_a_published_page_is_live_until_it_is_edited(published, editor):
    """Editing a live page leaves it live, with unreviewed changes."""
    assert workflow.state(published) == State.LIVE
    edit(published, editor, summary="New words.")
    assert workflow.state(published) == State.LIVE_WITH_UNREVIEWED_CHANGES


def test_a_live_page_whose_sign_off_expired_is_overdue(published, settings):
    """Past the review interval the live page is overdue for review."""
    later = timezone.now() + timedelta(days=settings.REVIEW_INTERVAL_DAYS + 1)
    with clock.frozen_at(later):
        assert workflow.state(published) == State.REVIEW_OVERDUE


def test_a_physician_cannot_sign_off_their_own_latest_change(condition, physician_user):
    """With independent review on, the last editor cannot be the signer."""
    edit(condition, physician_user, summary="Edited by the physician.")
    with pytest.raises(WorkflowError, match="another physician must sign it off"):
        workflow.sign_off(condition, physician_user, PASSWORD)


def test_independent_review_can_be_turned_off(condition, physician_user, settings):
    """REQUIRE_INDEPENDENT_REVIEW=False lets a physician sign their own change."""
    settings.REQUIRE_INDEPENDENT_REVIEW = False
    edit(condition, physician_user, summary="Edited by the physician.")
    assert workflow.sign_off(condition, physician_user, PASSWORD).digest


def test_unpublishing_takes_the_page_off_the_public_site(client, published, publisher):
    """After unpublishing, the public address answers 404 and the page is no longer live."""
    workflow.unpublish(published, publisher, "Evidence under re-evaluation.")
    assert client.get(published.get_absolute_url()).status_code == 404
    assert workflow.state(published) == State.APPROVED


def test_unpublishing_needs_permission_and_a_reason(published, editor, publisher):
    """Editors cannot unpublish; publishers must give a reason."""
    with pytest.raises(WorkflowError, match="permission to unpublish"):
        workflow.unpublish(published, editor, "No reason.")
    with pytest.raises(WorkflowError, match="Give a reason"):
        workflow.unpublish(published, publisher, "")
    assert workflow.state(published) == State.LIVE


def test_unpublishing_a_page_that_is_not_live_is_refused(condition, publisher):
    """There is nothing to take down."""
    with pytest.raises(WorkflowError, match="not published"):
        workflow.unpublish(condition, publisher, "Mistake.")


def test_every_step_lands_on_the_timeline(condition, editor, physician_user, publisher):
    """Submission, decisions, publication and withdrawal are recorded with who did them."""
    workflow.submit_for_review(condition, editor)
    workflow.request_changes(condition, physician_user, "Add codes.")
    edit(condition, editor, summary="With codes.")
    workflow.submit_for_review(condition, editor)
    workflow.sign_off(condition, physician_user, PASSWORD)
    workflow.publish(condition, publisher)
    workflow.unpublish(condition, publisher, "Withdrawn.")
    events = ReviewEvent.objects.for_object(condition).order_by("pk")
    assert [(e.kind, e.actor.username) for e in events] == [
        ("submitted", "edna"),
        ("changes_requested", "dr.house"),
        ("submitted", "edna"),
        ("signed_off", "dr.house"),
        ("published", "pat"),
        ("unpublished", "pat"),
    ]


def test_a_superuser_without_a_physician_profile_cannot_request_changes(condition, db):
    """Reviewing is a physician's act, whatever the account's permissions."""
    root = make_user("root", is_superuser=True)
    with pytest.raises(WorkflowError, match="no physician profile"):
        workflow.request_changes(condition, root, "Please fix.")
