"""Scheduled publishing: a publisher orders an approved version to go live at a time.

At that time a task publishes it through publish(), as that publisher. If the page changed or
the approval lapsed meanwhile, nothing goes live: the order is refused with the reason, the
timeline says so and the publisher is told by e-mail. Orders are listed and can be cancelled;
the timeline records scheduling, cancelling and publication.
"""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reviews import clock, workflow
from reviews.errors import WorkflowError
from reviews.models import LivePublication, ReviewEvent, ScheduledPublication
from tests.admin_http import AdminBrowser, page_url, step
from tests.conftest import PASSWORD, add_key_point, edit
from tests.task_worker import DATABASE_TASKS, run_due_tasks


@pytest.fixture
def approved(condition, editor, physician_user, publisher):
    publisher.email = "pat@example.org"
    publisher.save()
    workflow.submit_for_review(condition, editor)
    workflow.sign_off(condition, physician_user, PASSWORD)
    return condition


def is_live(page) -> bool:
    return LivePublication.objects.filter(object_id=page.pk).exists()


def kinds(page) -> list[str]:
    return list(
        ReviewEvent.objects.for_object(page).order_by("at", "pk").values_list("kind", flat=True)
    )


# The worker manages its own database connections, as in production: the test commits for real,
# and the migrations' groups are restored afterwards for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_publishes_the_page_at_its_time_and_not_before(approved, publisher, settings):
    """A task waits in the database until the chosen time; the worker then publishes."""
    settings.TASKS = DATABASE_TASKS
    item = workflow.schedule_publish(approved, publisher, timezone.now() + timedelta(seconds=2))
    [queued] = DBTaskResult.objects.all()
    assert queued.run_after == item.publish_at
    run_due_tasks()
    assert not is_live(approved)
    time.sleep(max(0, (item.publish_at - timezone.now()).total_seconds()) + 0.2)
    run_due_tasks()
    item.refresh_from_db()
    assert item.status == ScheduledPublication.Status.PUBLISHED
    assert is_live(approved)
    assert item.publication.published_by == publisher
    assert kinds(approved)[-2:] == ["scheduled", "published"]
    run_due_tasks()  # the publication queued its e-mail to the publisher
    [message] = [m for m in mail.outbox if m.subject.startswith("Published as scheduled")]
    assert message.to == ["pat@example.org"]
    assert message.subject == "Published as scheduled: Test Condition"


def test_a_page_changed_after_scheduling_is_refused_and_the_publisher_told(
    approved, publisher, editor, django_capture_on_commit_callbacks
):
    item = workflow.schedule_publish(approved, publisher, clock.now() + timedelta(hours=1))
    edit(approved, editor, summary="A summary changed after the sign-off.")
    later = clock.now() + timedelta(hours=2)
    with clock.frozen_at(later), django_capture_on_commit_callbacks(execute=True):
        [done] = workflow.publish_due_scheduled()
    assert done.pk == item.pk
    assert done.status == ScheduledPublication.Status.REFUSED
    assert "The page changed after it was scheduled" in done.reason
    assert not is_live(approved)
    refused = ReviewEvent.objects.for_object(approved).first()
    assert refused.kind == ReviewEvent.Kind.SCHEDULE_REFUSED
    assert refused.note == done.reason
    [message] = mail.outbox
    assert message.to == ["pat@example.org"]
    assert message.subject == "Scheduled publication refused: Test Condition"
    assert "The page changed after it was scheduled" in message.body


def test_an_approval_that_lapsed_before_the_time_publishes_nothing(approved, publisher, settings):
    later = clock.now() + timedelta(days=settings.REVIEW_INTERVAL_DAYS + 1)
    workflow.schedule_publish(approved, publisher, later - timedelta(hours=1))
    with clock.frozen_at(later):
        [done] = workflow.publish_due_scheduled()
    assert done.status == ScheduledPublication.Status.REFUSED
    assert "older than the" in done.reason
    assert not is_live(approved)


def test_an_order_runs_once_and_never_early(approved, publisher):
    item = workflow.schedule_publish(approved, publisher, clock.now() + timedelta(hours=1))
    assert workflow.publish_scheduled(item.pk) is None
    assert not is_live(approved)
    with clock.frozen_at(clock.now() + timedelta(hours=2)):
        assert workflow.publish_scheduled(item.pk).status == "published"
        assert workflow.publish_scheduled(item.pk) is None
    assert kinds(approved).count("published") == 1


def test_a_cancelled_order_is_recorded_and_publishes_nothing(
    approved, publisher, django_capture_on_commit_callbacks
):
    browser = AdminBrowser(publisher)
    when = (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    assert "Scheduled. The page goes live" in browser.messages(
        step(browser, approved, "schedule", publish_at=when)
    )
    html = browser.get(page_url(approved)).content.decode()
    assert "Scheduled to go live on" in html
    assert 'value="schedule"' not in html
    with django_capture_on_commit_callbacks(execute=True):
        response = step(browser, approved, "cancel_scheduled", reason="Launch moved.")
    assert "The scheduled publication is cancelled" in browser.messages(response)
    with clock.frozen_at(clock.now() + timedelta(hours=4)):
        assert workflow.publish_due_scheduled() == []
    assert not is_live(approved)
    assert kinds(approved)[-2:] == ["scheduled", "schedule_cancelled"]
    assert ReviewEvent.objects.for_object(approved).first().note == "Launch moved."
    assert mail.outbox == []  # the publisher cancelled their own order: nothing to tell them


def test_only_a_publisher_schedules_and_only_an_approved_version_in_the_future(
    condition, editor, physician_user, publisher
):
    soon = clock.now() + timedelta(hours=1)
    with pytest.raises(WorkflowError, match="No physician has signed off"):
        workflow.schedule_publish(condition, publisher, soon)
    workflow.sign_off(condition, physician_user, PASSWORD)
    with pytest.raises(WorkflowError, match="permission to publish"):
        workflow.schedule_publish(condition, editor, soon)
    with pytest.raises(WorkflowError, match="a time in the future"):
        workflow.schedule_publish(condition, publisher, clock.now() - timedelta(minutes=1))
    workflow.schedule_publish(condition, publisher, soon)
    with pytest.raises(WorkflowError, match="already scheduled"):
        workflow.schedule_publish(condition, publisher, soon)
    assert "cancel_scheduled" in workflow.allowed_steps(condition, publisher)
    assert "cancel_scheduled" not in workflow.allowed_steps(condition, editor)


def test_a_bad_time_in_the_admin_names_the_field_and_schedules_nothing(approved, publisher):
    browser = AdminBrowser(publisher)
    html = browser.messages(step(browser, approved, "schedule", publish_at="next tuesday"))
    assert "Enter the date and time the page should go live" in html
    assert not ScheduledPublication.objects.exists()


def test_scheduling_leaves_the_content_and_state_alone(approved, publisher, editor):
    digest = workflow.current_document(approved)[1]
    workflow.schedule_publish(approved, publisher, clock.now() + timedelta(hours=1))
    assert workflow.current_document(approved)[1] == digest
    assert workflow.state(approved) == workflow.State.APPROVED
    add_key_point(approved, "A point added after scheduling.")
    assert workflow.state(approved) != workflow.State.APPROVED


def test_the_command_publishes_what_is_due_for_a_backend_that_cannot_wait(approved, publisher):
    """TASKS_BACKEND=immediate cannot run a task later: `publish_scheduled` catches up."""
    import io

    from django.core.management import call_command

    workflow.schedule_publish(approved, publisher, clock.now() + timedelta(minutes=5))
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    assert out.getvalue() == "No scheduled publication or take-down is due.\n"
    with clock.frozen_at(clock.now() + timedelta(minutes=6)):
        call_command("publish_scheduled", stdout=out)
    assert "Test Condition: published." in out.getvalue()
    assert is_live(approved)


def test_publishing_by_hand_before_the_time_cancels_the_order(approved, publisher):
    item = workflow.schedule_publish(approved, publisher, clock.now() + timedelta(hours=1))
    workflow.publish(approved, publisher)
    item.refresh_from_db()
    assert item.status == ScheduledPublication.Status.CANCELLED
    assert "published the page on" in item.reason
    assert "before its time" in item.reason
    with clock.frozen_at(clock.now() + timedelta(hours=2)):
        assert workflow.publish_due_scheduled() == []
    assert kinds(approved)[-3:] == ["scheduled", "published", "schedule_cancelled"]
