"""review_due: the scheduler's view of pages whose review is coming due or overdue."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from reviews import clock, workflow
from reviews.models import Publication, ReviewEvent


def run_review_due(*args):
    out = io.StringIO()
    call_command("review_due", *args, stdout=out)
    return out.getvalue()


def test_a_freshly_reviewed_page_is_not_due(published):
    """Nothing is listed, nobody is e-mailed, and the command succeeds."""
    assert "No page is due for review" in run_review_due()
    assert mail.outbox == []


def test_a_page_due_within_the_window_is_listed_and_physicians_are_emailed(
    published, physician_user, settings, django_capture_on_commit_callbacks
):
    """A page expiring within 30 days is listed as due and mailed to active physicians, by a
    task queued once the command's work commits."""
    physician_user.email = "house@example.org"
    physician_user.save()
    later = timezone.now() + timedelta(days=settings.REVIEW_INTERVAL_DAYS - 10)
    with clock.frozen_at(later), django_capture_on_commit_callbacks(execute=False) as queued:
        output = run_review_due()
    assert mail.outbox == []
    for callback in queued:
        callback()
    assert "Test Condition (test-condition): last reviewed by Dr. Gregory House, MD, due by" in (
        output
    )
    assert mail.outbox[0].to == ["house@example.org"]
    assert mail.outbox[0].subject == "1 clinical page(s) due for review (0 overdue)"


def test_an_overdue_page_makes_the_command_fail_for_the_scheduler(published, settings):
    """An expired review is listed as overdue and the command exits non-zero."""
    later = timezone.now() + timedelta(days=settings.REVIEW_INTERVAL_DAYS + 1)
    with clock.frozen_at(later), pytest.raises(CommandError, match="1 page\\(s\\) overdue") as exc:
        run_review_due("--no-email")
    assert exc.value.returncode == 1
    assert mail.outbox == []


def test_by_default_an_overdue_page_stays_live_with_its_old_stamp(published, settings, client):
    """OVERDUE_POLICY = "keep": the command reports the page but leaves it on the public site."""
    later = timezone.now() + timedelta(days=settings.REVIEW_INTERVAL_DAYS + 1)
    with clock.frozen_at(later):
        with pytest.raises(CommandError):
            run_review_due("--no-email")
        assert workflow.state(published) == workflow.State.REVIEW_OVERDUE
    assert client.get("/conditions/test-condition/").status_code == 200


def test_the_unpublish_policy_takes_overdue_pages_off_the_site_on_record(
    published, settings, client
):
    """OVERDUE_POLICY = "unpublish": the page goes, with a timeline entry that says why."""
    settings.OVERDUE_POLICY = "unpublish"
    later = timezone.now() + timedelta(days=settings.REVIEW_INTERVAL_DAYS + 1)
    output = io.StringIO()
    with clock.frozen_at(later), pytest.raises(CommandError):
        call_command("review_due", "--no-email", stdout=output)
    assert "Unpublished Test Condition (test-condition)" in output.getvalue()
    assert client.get("/conditions/test-condition/").status_code == 404
    event = ReviewEvent.objects.for_object(published).first()
    assert event.kind == ReviewEvent.Kind.UNPUBLISHED
    assert event.actor is None
    assert "Review overdue: the sign-off by Dr. Gregory House, MD" in event.note
    assert Publication.objects.for_object(published).count() == 1


def test_the_unpublish_policy_leaves_pages_that_are_only_due(published, settings, client):
    """A page due soon but not yet expired stays live under either policy."""
    settings.OVERDUE_POLICY = "unpublish"
    with clock.frozen_at(timezone.now() + timedelta(days=settings.REVIEW_INTERVAL_DAYS - 5)):
        run_review_due("--no-email")
    assert client.get("/conditions/test-condition/").status_code == 200
