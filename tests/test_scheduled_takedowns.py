"""Scheduled take-downs: a publisher orders a live page off the public site at a time.

At that time the task worker takes it down through the workflow's unpublish(), as the publisher
who scheduled it, with their reason on the timeline; the same checks hold (a publisher who lost
the right to publish has the order refused, with the reason). Orders are shown on the page's
workflow panel and the publisher's home, can be cancelled, are closed when the page is taken down
by hand first, and survive a worker restart (the sweep queues one whose task was lost).
"""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from reviews import clock, workflow
from reviews.errors import WorkflowError
from reviews.models import LivePublication, ReviewEvent, ScheduledTakedown
from reviews.scheduled_publishing import take_down_when_due
from tasks import leases
from tests.admin_http import AdminBrowser, page_url, step
from tests.conftest import PASSWORD
from tests.task_worker import DATABASE_TASKS, run_due_tasks

REASON = "The clinic no longer offers this treatment."


@pytest.fixture
def live(published, publisher):
    publisher.email = "pat@example.org"
    publisher.save()
    return published


def is_live(page) -> bool:
    return LivePublication.objects.filter(object_id=page.pk).exists()


def kinds(page) -> list[str]:
    return list(
        ReviewEvent.objects.for_object(page).order_by("at", "pk").values_list("kind", flat=True)
    )


def test_at_its_time_the_page_comes_off_through_unpublish_as_the_publisher(live, publisher):
    item = workflow.schedule_takedown(live, publisher, clock.now() + timedelta(hours=1), REASON)
    assert workflow.take_down_scheduled(item.pk) is None  # never early
    assert is_live(live)
    with clock.frozen_at(clock.now() + timedelta(hours=2)):
        [done] = workflow.take_down_due()
        assert workflow.take_down_scheduled(item.pk) is None  # and once
    assert done.status == ScheduledTakedown.Status.DONE
    assert not is_live(live)
    assert kinds(live)[-2:] == ["takedown_scheduled", "unpublished"]
    unpublished = ReviewEvent.objects.for_object(live).first()
    assert unpublished.actor == publisher
    assert unpublished.note == REASON
    assert workflow.state(live) != workflow.State.LIVE


def test_only_a_publisher_schedules_a_take_down_of_a_live_page_with_a_reason_in_the_future(
    condition, editor, publisher, physician_user
):
    soon = clock.now() + timedelta(hours=1)
    with pytest.raises(WorkflowError, match="not published"):
        workflow.schedule_takedown(condition, publisher, soon, REASON)
    workflow.sign_off(condition, physician_user, PASSWORD)
    workflow.publish(condition, publisher)
    with pytest.raises(WorkflowError, match="Only a publisher"):
        workflow.schedule_takedown(condition, editor, soon, REASON)
    with pytest.raises(WorkflowError, match="Give a reason"):
        workflow.schedule_takedown(condition, publisher, soon, "  ")
    with pytest.raises(WorkflowError, match="a time in the future"):
        workflow.schedule_takedown(condition, publisher, clock.now(), REASON)
    workflow.schedule_takedown(condition, publisher, soon, REASON)
    with pytest.raises(WorkflowError, match="already scheduled to come off"):
        workflow.schedule_takedown(condition, publisher, soon, REASON)
    assert "cancel_takedown" in workflow.allowed_steps(condition, publisher)
    assert "cancel_takedown" not in workflow.allowed_steps(condition, editor)


def test_a_publisher_who_lost_the_right_to_publish_has_the_order_refused_and_told(
    live, publisher, django_capture_on_commit_callbacks
):
    workflow.schedule_takedown(live, publisher, clock.now() + timedelta(hours=1), REASON)
    publisher.groups.remove(Group.objects.get(name="Publishers"))
    later = clock.now() + timedelta(hours=2)
    with clock.frozen_at(later), django_capture_on_commit_callbacks(execute=True):
        [done] = workflow.take_down_due()
    assert done.status == ScheduledTakedown.Status.REFUSED
    assert "permission to unpublish" in done.reason
    assert is_live(live)
    refused = ReviewEvent.objects.for_object(live).first()
    assert refused.kind == ReviewEvent.Kind.TAKEDOWN_REFUSED
    assert refused.actor is None
    [message] = mail.outbox
    assert message.subject == "Scheduled take-down refused: Test Condition"
    assert "permission to unpublish" in message.body


def test_unpublishing_by_hand_first_closes_the_order(live, publisher):
    item = workflow.schedule_takedown(live, publisher, clock.now() + timedelta(hours=1), REASON)
    workflow.unpublish(live, publisher, "Withdrawn early.")
    item.refresh_from_db()
    assert item.status == ScheduledTakedown.Status.CANCELLED
    assert "before its time" in item.reason
    workflow.publish(live, publisher)  # live again: the old order must not take it down
    with clock.frozen_at(clock.now() + timedelta(hours=2)):
        assert workflow.take_down_due() == []
    assert is_live(live)


def test_the_admin_schedules_shows_and_cancels_a_take_down(
    live, publisher, django_capture_on_commit_callbacks
):
    browser = AdminBrowser(publisher)
    page = browser.get(page_url(live)).content.decode()
    assert "Take down at (America/New_York)" in page
    when = (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    html = browser.messages(step(browser, live, "schedule_takedown", take_down_at=when))
    assert "Give a reason for taking the page down" in html
    assert not ScheduledTakedown.objects.exists()
    html = browser.messages(
        step(browser, live, "schedule_takedown", take_down_at=when, take_down_reason=REASON)
    )
    assert "Take-down scheduled." in html
    assert "Scheduled to come off the public site on" in html
    assert "; scheduled to come off the site on " in html  # in the standing, in words
    assert f"<q>{REASON}</q>" in html
    assert 'value="schedule_takedown"' not in html
    home = browser.get("/admin/").content.decode()
    assert "Scheduled to come off the site (1)" in home
    assert "comes off" in home
    assert REASON in home
    with django_capture_on_commit_callbacks(execute=True):
        response = step(browser, live, "cancel_takedown", reason="Still offered after all.")
    assert "The scheduled take-down is cancelled" in browser.messages(response)
    assert ScheduledTakedown.objects.get().status == ScheduledTakedown.Status.CANCELLED
    assert kinds(live)[-2:] == ["takedown_scheduled", "takedown_cancelled"]
    assert "Scheduled to come off the site (0)" in browser.get("/admin/").content.decode()
    assert mail.outbox == []  # they cancelled their own order: nothing to tell them


def test_an_editor_is_offered_no_take_down(live, editor):
    html = AdminBrowser(editor).get(page_url(live)).content.decode()
    assert "Take down at" not in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_takes_the_page_down_at_its_time_and_tells_the_publisher(
    live, publisher, settings
):
    settings.TASKS = DATABASE_TASKS
    soon = timezone.now() + timedelta(seconds=2)
    item = workflow.schedule_takedown(live, publisher, soon, REASON)
    [queued] = DBTaskResult.objects.filter(task_path=take_down_when_due.module_path)
    assert queued.run_after == item.take_down_at
    run_due_tasks()
    assert is_live(live)
    time.sleep(max(0, (item.take_down_at - timezone.now()).total_seconds()) + 0.2)
    run_due_tasks()
    item.refresh_from_db()
    assert item.status == ScheduledTakedown.Status.DONE
    assert not is_live(live)
    run_due_tasks()  # the e-mail to the publisher
    [message] = [m for m in mail.outbox if m.subject.startswith("Taken down as scheduled")]
    assert message.to == ["pat@example.org"]
    assert "(America/New_York)" in message.body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_take_down_whose_task_was_lost_is_carried_out_by_the_sweep(
    live, publisher, settings, django_capture_on_commit_callbacks
):
    """A worker restarted over a database that lost the task row: the sweep queues it again."""
    settings.TASKS = DATABASE_TASKS
    settings.TASK_LEASE_SECONDS = 60
    item = workflow.schedule_takedown(live, publisher, clock.now() + timedelta(hours=1), REASON)
    ScheduledTakedown.objects.filter(pk=item.pk).update(
        take_down_at=clock.now() - timedelta(minutes=5)
    )
    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        said = leases.sweep()
    assert f"scheduled take-down {item.pk}: overdue with no task, queued to run now." in said
    assert leases.waiting(take_down_when_due) == [[item.pk]]
    run_due_tasks()
    item.refresh_from_db()
    assert item.status == ScheduledTakedown.Status.DONE
    assert not is_live(live)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_take_down_lost_again_and_again_is_refused_and_its_publisher_told(
    live, publisher, settings, django_capture_on_commit_callbacks
):
    """A worker that dies on it TASK_MAX_ATTEMPTS times: refused, the page still live."""
    settings.TASKS = DATABASE_TASKS
    settings.TASK_LEASE_SECONDS = 60
    settings.TASK_MAX_ATTEMPTS = 3
    item = workflow.schedule_takedown(live, publisher, clock.now() + timedelta(hours=1), REASON)
    DBTaskResult.objects.all().delete()
    queued = take_down_when_due.enqueue(item.pk)
    for loss in range(3):
        row = DBTaskResult.objects.get(pk=queued.id)
        row.claim(f"dead-{loss}")
        DBTaskResult.objects.filter(pk=row.pk).update(
            started_at=timezone.now() - timedelta(minutes=2)
        )
        with django_capture_on_commit_callbacks(execute=True):
            leases.sweep()
        queued = DBTaskResult.objects.filter(
            status="READY", task_path=take_down_when_due.module_path
        ).first()
    assert queued is None
    item.refresh_from_db()
    assert item.status == ScheduledTakedown.Status.REFUSED
    assert "It was lost 3 times" in item.reason
    assert is_live(live)
    refused = ReviewEvent.objects.for_object(live).first()
    assert refused.kind == ReviewEvent.Kind.TAKEDOWN_REFUSED
    run_due_tasks()  # the e-mail to the publisher
    assert [m.subject for m in mail.outbox if m.to == ["pat@example.org"]] == [
        "Scheduled take-down refused: Test Condition"
    ]
