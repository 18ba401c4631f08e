"""E-mail on review steps: physicians hear of submissions, the editor hears the decision."""

import time

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reviews import workflow
from reviews.models import ReviewEvent, SignOff
from tests.conftest import PASSWORD, make_user
from tests.mail_servers import free_port, hanging_smtp_server, smtp_server
from tests.task_worker import DATABASE_TASKS, run_due_tasks


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


def test_without_site_url_e_mail_links_use_the_address_the_request_came_to(
    client, condition, editor, mailboxes, settings, django_capture_on_commit_callbacks
):
    """In development (no SITE_URL) the link points where the editor's browser was."""
    settings.ALLOWED_HOSTS = ["review.test"]
    assert client.login(username=editor.username, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/conditions/condition/{condition.pk}/workflow/submit/",
            {"note": ""},
            headers={"host": "review.test:8123"},
        )
    [message] = mail.outbox
    review = f"/admin/conditions/condition/{condition.pk}/review/"
    assert f"Review it here: http://review.test:8123{review}" in message.body


def test_site_url_wins_over_the_request_address(
    client, condition, editor, mailboxes, settings, django_capture_on_commit_callbacks
):
    settings.ALLOWED_HOSTS = ["review.test"]
    settings.SITE_URL = "https://library.example"
    assert client.login(username=editor.username, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/conditions/condition/{condition.pk}/workflow/submit/",
            {"note": ""},
            headers={"host": "review.test:8123"},
        )
    [message] = mail.outbox
    assert "https://library.example/admin/" in message.body
    assert "review.test" not in message.body


def test_outside_a_request_and_without_site_url_no_host_is_guessed(
    condition, editor, mailboxes, django_capture_on_commit_callbacks
):
    """A command in development has no address to give: the link stays a path, never a made-up
    host such as the development server's default."""
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit_for_review(condition, editor)
    [message] = mail.outbox
    assert f"Review it here: /admin/conditions/condition/{condition.pk}/review/" in message.body
    assert "127.0.0.1" not in message.body


# Each test commits for real, so on_commit runs as in production; the migrations' groups are
# restored afterwards for the tests that follow.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def queued_mail(settings):
    """E-mail through SMTP to 127.0.0.1, queued in the database as in production."""
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 3
    settings.ALLOWED_HOSTS = ["review.test"]
    return settings


def submit_through_the_admin(client, condition, editor):
    """POST the submission as the editor's browser would; returns (response, seconds)."""
    assert client.login(username=editor.username, password=PASSWORD)
    started = time.monotonic()
    response = client.post(
        f"/admin/conditions/condition/{condition.pk}/workflow/submit/",
        {"note": "Dosing FAQ added."},
        headers={"host": "review.test"},
    )
    return response, time.monotonic() - started


@committing
def test_a_hanging_mail_server_does_not_slow_the_submission(
    client, condition, editor, mailboxes, queued_mail, caplog
):
    """The click answers at once; the worker waits out EMAIL_TIMEOUT and schedules a retry."""
    with hanging_smtp_server() as port:
        queued_mail.EMAIL_PORT = port
        response, seconds = submit_through_the_admin(client, condition, editor)
        assert response.status_code == 302
        assert seconds < 1.5, f"the request took {seconds:.1f} s"
        [queued] = DBTaskResult.objects.all()
        assert queued.status == "READY"
        started = time.monotonic()
        run_due_tasks()
        assert time.monotonic() - started >= 2.5, "the worker, not the request, waited"
    assert workflow.state(condition) == workflow.State.IN_REVIEW
    assert [r.status for r in DBTaskResult.objects.order_by("enqueued_at")] == ["FAILED", "READY"]
    assert "Could not send “Review requested: Test Condition” to house@example.org" in caplog.text


@committing
def test_a_refusing_mail_server_loses_neither_the_step_nor_the_message(
    client, condition, editor, mailboxes, queued_mail
):
    """Refused first, delivered by the retry to a real SMTP server, link and all."""
    queued_mail.EMAIL_PORT = free_port()
    response, _ = submit_through_the_admin(client, condition, editor)
    assert response.status_code == 302
    run_due_tasks()
    assert ReviewEvent.objects.for_object(condition).count() == 1
    with smtp_server() as (port, inbox):
        queued_mail.EMAIL_PORT = port
        retry = DBTaskResult.objects.get(status="READY")
        retry.run_after = timezone.now()
        retry.save()
        run_due_tasks()
    [message] = inbox.messages
    assert message["to"] == ["house@example.org"]
    review = f"http://review.test/admin/conditions/condition/{condition.pk}/review/"
    assert review in message["text"]
