"""review_due: the scheduler's view of pages whose review is coming due or overdue."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from reviews import clock


def run_review_due(*args):
    out = io.StringIO()
    call_command("review_due", *args, stdout=out)
    return out.getvalue()


def test_a_freshly_reviewed_page_is_not_due(published):
    """Nothing is listed, nobody is e-mailed, and the command succeeds."""
    assert "No page is due for review" in run_review_due()
    assert mail.outbox == []


def test_a_page_due_within_the_window_is_listed_and_physicians_are_emailed(
    published, physician_user, settings
):
    """A page expiring within 30 days is listed as due and mailed to active physicians."""
    physician_user.email = "house@example.org"
    physician_user.save()
    later = timezone.now() + timedelta(days=settings.REVIEW_INTERVAL_DAYS - 10)
    with clock.frozen_at(later):
        output = run_review_due()
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
