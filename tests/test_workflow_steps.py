"""Each workflow step refuses the wrong person and the wrong starting state, whichever door.

Every refusal is checked twice: calling reviews.workflow directly, and posting the admin's own
form over HTTP with CSRF checks on. A refused step records nothing and says why in plain words.
"""

import pytest

from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import Physician, ReviewEvent, ReviewState, SignOff
from tests.admin_http import AdminBrowser, page_url, review, step
from tests.conftest import PASSWORD, edit, make_user


@pytest.fixture
def editor_with_physician_profile(db):
    """An editor who is also a physician on record, but not in the Physicians role."""
    user = make_user("ed.doc", "Editors")
    Physician.objects.create(user=user, display_name="Edwina Doc", credentials="MD")
    return user


@pytest.fixture
def physician_with_email(physician_user):
    physician_user.email = "house@clinic.example"
    physician_user.save()
    return physician_user


@pytest.fixture
def submitted(condition, editor):
    workflow.submit_for_review(condition, editor, note="Please check the definition.")
    return condition


def digest_of(page):
    return workflow.current_document(page)[1]


class TestSigningNeedsThePermissionAndAPhysicianProfile:
    def test_the_function_refuses_an_editor_with_a_physician_profile(
        self, submitted, editor_with_physician_profile, publisher
    ):
        with pytest.raises(WorkflowError, match="do not have permission to sign off"):
            workflow.sign_off(submitted, editor_with_physician_profile, PASSWORD)
        with pytest.raises(WorkflowError, match="do not have permission to sign off"):
            workflow.request_changes(submitted, editor_with_physician_profile, "Fix it.")
        with pytest.raises(WorkflowError, match="No physician has signed off"):
            workflow.publish(submitted, publisher)
        assert not SignOff.objects.exists()

    def test_the_admin_refuses_an_editor_with_a_physician_profile(
        self, submitted, editor_with_physician_profile
    ):
        browser = AdminBrowser(editor_with_physician_profile)
        response = review(
            browser,
            submitted,
            "approve",
            password=PASSWORD,
            reviewed_digest=digest_of(submitted),
        )
        assert "do not have permission to sign off" in browser.messages(response)
        response = review(browser, submitted, "request_changes", note="Fix it.")
        assert "do not have permission to sign off" in browser.messages(response)
        assert not SignOff.objects.exists()
        assert not ReviewEvent.objects.filter(kind="changes_requested").exists()

    def test_the_review_screen_offers_them_no_decision(
        self, submitted, editor_with_physician_profile
    ):
        html = AdminBrowser(editor_with_physician_profile).get(page_url(submitted, "review/"))
        html = html.content.decode()
        assert 'value="approve"' not in html
        assert "do not have permission to sign off" in html


class TestASignedVersionIsNotSignedAgain:
    def test_the_function_refuses_a_second_sign_off(self, submitted, physician_user):
        workflow.sign_off(submitted, physician_user, PASSWORD)
        with pytest.raises(WorkflowError, match="already signed off by Dr. Gregory House"):
            workflow.sign_off(submitted, physician_user, PASSWORD)
        assert SignOff.objects.count() == 1

    def test_the_admin_refuses_a_second_sign_off(self, submitted, physician_user):
        workflow.sign_off(submitted, physician_user, PASSWORD)
        browser = AdminBrowser(physician_user)
        response = review(
            browser, submitted, "approve", password=PASSWORD, reviewed_digest=digest_of(submitted)
        )
        assert "already signed off by Dr. Gregory House" in browser.messages(response)
        assert SignOff.objects.count() == 1


class TestChangesAreRequestedOnlyOfWhatAwaitsReview:
    def test_the_function_refuses_changes_on_a_live_unchanged_page(self, published, physician_user):
        with pytest.raises(WorkflowError, match="already signed off"):
            workflow.request_changes(published, physician_user, "Rewrite it all.")
        assert workflow.state(published) == workflow.State.LIVE

    def test_the_function_refuses_changes_when_nothing_was_submitted(
        self, published, editor, physician_user
    ):
        edit(published, editor, summary="An edit nobody submitted.")
        with pytest.raises(WorkflowError, match="Nothing awaits review"):
            workflow.request_changes(published, physician_user, "Rewrite it all.")

    def test_the_admin_refuses_changes_on_a_live_unchanged_page(self, published, physician_user):
        browser = AdminBrowser(physician_user)
        response = review(browser, published, "request_changes", note="Rewrite it all.")
        assert "already signed off" in browser.messages(response)
        assert not ReviewEvent.objects.filter(kind="changes_requested").exists()


class TestASubmissionIsMadeOncePerVersion:
    def test_the_function_refuses_the_same_version_twice_keeping_the_note_and_mail(
        self,
        submitted,
        editor,
        physician_with_email,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        with (
            django_capture_on_commit_callbacks(execute=True),
            pytest.raises(WorkflowError, match="already in review: edna submitted it"),
        ):
            workflow.submit_for_review(submitted, editor)
        assert mailoutbox == []
        state = ReviewState.objects.get(object_id=submitted.pk)
        assert state.submission.note == "Please check the definition."

    def test_the_admin_refuses_the_same_version_twice(
        self,
        condition,
        editor,
        physician_with_email,
        mailoutbox,
        django_capture_on_commit_callbacks,
    ):
        browser = AdminBrowser(editor)
        with django_capture_on_commit_callbacks(execute=True):
            step(browser, condition, "submit", note="First note.")
            second = step(browser, condition, "submit", note="")
        shown = browser.messages(second)
        assert "Submitted for review" in shown
        assert "This version is already in review: edna submitted it" in shown
        assert len(mailoutbox) == 1
        assert ReviewEvent.objects.filter(kind="submitted").count() == 1
        assert ReviewState.objects.get(object_id=condition.pk).submission.note == "First note."

    def test_a_new_version_supersedes_the_one_in_review_and_both_notes_stay(
        self, submitted, editor
    ):
        edit(submitted, editor, summary="A second version.")
        workflow.submit_for_review(submitted, editor, note="Second version: summary rewritten.")
        notes = list(
            ReviewEvent.objects.for_object(submitted)
            .filter(kind="submitted")
            .values_list("note", flat=True)
        )
        assert notes == ["Second version: summary rewritten.", "Please check the definition."]
        state = ReviewState.objects.get(object_id=submitted.pk)
        assert state.submission.note == "Second version: summary rewritten."
        assert state.source_digest == digest_of(submitted)


class TestUnpublishNeedsALivePage:
    def test_the_function_refuses_a_page_that_is_not_live(self, condition, publisher):
        with pytest.raises(WorkflowError, match="not published"):
            workflow.unpublish(condition, publisher, "Withdrawn.")
        assert not ReviewEvent.objects.filter(kind="unpublished").exists()

    def test_the_admin_refuses_a_page_that_is_not_live(self, condition, publisher):
        browser = AdminBrowser(publisher)
        response = step(browser, condition, "unpublish", reason="Withdrawn.")
        assert "not published" in browser.messages(response)
        assert not ReviewEvent.objects.filter(kind="unpublished").exists()


def test_allowed_steps_are_what_the_checks_allow(submitted, editor, physician_user, publisher):
    """The buttons a screen offers come from the same checks the steps run."""
    assert workflow.allowed_steps(submitted, physician_user) == {"sign_off", "request_changes"}
    assert workflow.allowed_steps(submitted, editor) == {"delete"}
    assert workflow.allowed_steps(submitted, publisher) == {"delete"}
    workflow.sign_off(submitted, physician_user, PASSWORD)
    assert workflow.allowed_steps(submitted, physician_user) == set()
    assert workflow.allowed_steps(submitted, publisher) == {"publish", "schedule_publish", "delete"}


def test_the_panel_offers_exactly_the_allowed_steps(published, editor, publisher):
    """A publisher on a live, unchanged page: unpublish, never publish."""
    html = AdminBrowser(publisher).get(page_url(published)).content.decode()
    assert 'value="unpublish"' in html
    assert 'value="publish" disabled' in html
    html = AdminBrowser(editor).get(page_url(published)).content.decode()
    assert 'value="unpublish"' not in html
