"""E-mail on review steps: physicians hear of submissions, the editor hears the decision."""

import pytest
from django.core import mail

from reviews import workflow
from reviews.models import ReviewEvent, SignOff
from tests.conftest import PASSWORD, make_user


@pytest.fixture
def mailboxes(editor, physician_user):
    editor.email = "edna@example.org"
    editor.save()
    physician_user.email = "house@example.org"
    physician_user.save()


def test_submitting_emails_the_active_physicians_a_link_to_the_review_screen(
    condition, editor, mailboxes, django_capture_on_commit_callbacks, settings
):
    """Every active physician with an address gets the title, the note and the review link."""
    settings.SITE_URL = "https://library.example"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit_for_review(condition, editor, note="New FAQ on dosing.")
    [message] = mail.outbox
    assert message.to == ["house@example.org"]
    assert message.subject == "Review requested: Test Condition"
    assert "New FAQ on dosing." in message.body
    assert f"https://library.example/admin/conditions/condition/{condition.pk}/review/" in (
        message.body
    )


def test_inactive_physicians_are_not_asked_to_review(
    condition, editor, physician, mailboxes, django_capture_on_commit_callbacks
):
    physician.is_active = False
    physician.save()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit_for_review(condition, editor)
    assert mail.outbox == []


def test_a_request_for_changes_emails_the_submitting_editor_the_note(
    condition, editor, physician_user, mailboxes, django_capture_on_commit_callbacks
):
    workflow.submit_for_review(condition, editor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_changes(condition, physician_user, "Cite the 2017 meta-analysis.")
    [message] = mail.outbox
    assert message.to == ["edna@example.org"]
    assert message.subject == "Changes requested: Test Condition"
    assert "Dr. Gregory House, MD: changes requested" in message.body
    assert "Cite the 2017 meta-analysis." in message.body


def test_a_sign_off_emails_the_editor(
    condition, editor, physician_user, mailboxes, django_capture_on_commit_callbacks
):
    workflow.submit_for_review(condition, editor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.sign_off(condition, physician_user, PASSWORD, note="Accurate.")
    [message] = mail.outbox
    assert message.to == ["edna@example.org"]
    assert message.subject == "Signed off: Test Condition"


def test_no_mail_leaves_before_the_step_commits(
    condition, editor, mailboxes, django_capture_on_commit_callbacks
):
    """Mail is queued for after the commit, so a rolled-back step never announces itself."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        workflow.submit_for_review(condition, editor)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_failing_mail_server_loses_neither_the_sign_off_nor_the_publication(
    condition,
    editor,
    physician_user,
    publisher,
    mailboxes,
    settings,
    django_capture_on_commit_callbacks,
    caplog,
):
    """The sign-off and publication stay on record and the failure is logged."""
    settings.EMAIL_BACKEND = "tests.failing_mail.FailingBackend"
    make_user("other.editor", "Editors")
    workflow.submit_for_review(condition, editor)
    with django_capture_on_commit_callbacks(execute=True):
        signed = workflow.sign_off(condition, physician_user, PASSWORD)
    publication = workflow.publish(condition, publisher)
    assert SignOff.objects.filter(pk=signed.pk).exists()
    assert publication.sign_off == signed
    assert workflow.state(condition) == workflow.State.LIVE
    assert ReviewEvent.objects.for_object(condition).count() == 3
    assert "Could not send “Signed off: Test Condition” to edna@example.org" in caplog.text
