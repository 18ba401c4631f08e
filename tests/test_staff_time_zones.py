"""Each staff member reads and types the admin's times in their own time zone.

The zone is a setting of their own (``Your time zone``, from the admin's user menu), the site's
TIME_ZONE until they choose; the admin names it beside every typed time and in the workflow's
messages. The public site stays in the site's zone for everyone.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from reviews import time_zones, workflow
from reviews.models import ReviewEvent, ScheduledPublication, StaffProfile
from reviews.time_zones import StaffTimeZoneMiddleware
from tests.admin_http import AdminBrowser, page_url, step
from tests.conftest import PASSWORD


@pytest.fixture
def approved(condition, editor, physician_user):
    workflow.submit_for_review(condition, editor)
    workflow.sign_off(condition, physician_user, PASSWORD)
    return condition


@pytest.fixture
def in_chicago(publisher):
    StaffProfile.objects.create(user=publisher, time_zone="America/Chicago")
    return publisher


def test_a_go_live_time_typed_in_chicago_is_stored_as_that_instant(approved, in_chicago, settings):
    assert settings.TIME_ZONE != "America/Chicago"
    browser = AdminBrowser(in_chicago)
    html = browser.messages(step(browser, approved, "schedule", publish_at="2031-01-06T09:00"))
    assert "Scheduled. The page goes live" in html
    item = ScheduledPublication.objects.get()
    # 09:00 in Chicago in January is 15:00 UTC (CST, UTC-6).
    assert item.publish_at == datetime(2031, 1, 6, 15, 0, tzinfo=UTC)
    # The timeline's note names the zone the time was written in.
    note = ReviewEvent.objects.filter(kind=ReviewEvent.Kind.SCHEDULED).get().note
    assert note == "To go live on January 6, 2031, 09:00 (America/Chicago)."


def test_the_change_page_names_their_zone_beside_typed_times_and_shows_times_in_it(
    approved, in_chicago
):
    browser = AdminBrowser(in_chicago)
    step(browser, approved, "schedule", publish_at="2031-01-06T09:00")
    html = browser.get(page_url(approved)).content.decode()
    assert "Time zone: America/Chicago" in html  # the user menu, on every admin page
    assert "Scheduled to go live on January 6, 2031, 09:00 (America/Chicago)" in html


def test_the_go_live_label_names_the_zone_of_whoever_reads_it(approved, publisher):
    html = AdminBrowser(publisher).get(page_url(approved)).content.decode()
    assert "Go live at (America/New_York)" in html  # the site's zone until they choose
    time_zones.set_zone(publisher, "Europe/Madrid")
    html = AdminBrowser(publisher).get(page_url(approved)).content.decode()
    assert "Go live at (Europe/Madrid)" in html
    assert "Time zone: Europe/Madrid" in html


def test_a_person_sets_their_own_zone_and_a_wrong_one_is_refused_naming_the_field(editor):
    browser = AdminBrowser(editor)
    page = browser.get("/admin/time-zone/").content.decode()
    assert 'value="America/New_York" selected' in page
    html = browser.messages(browser.post("/admin/time-zone/", {"time_zone": "Mars/Olympus"}))
    assert "Choose a time zone from the list." in html
    assert not StaffProfile.objects.exists()
    html = browser.messages(browser.post("/admin/time-zone/", {"time_zone": "Asia/Tokyo"}))
    assert "Your time zone is now Asia/Tokyo." in html
    assert StaffProfile.objects.get(user=editor).time_zone == "Asia/Tokyo"
    with pytest.raises(Exception, match="not a time zone name"):
        time_zones.set_zone(editor, "Nowhere/Else")


def _zone_seen(path, user):
    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        return HttpResponse()

    request = RequestFactory().get(path)
    request.user = user
    StaffTimeZoneMiddleware(view)(request)
    return seen["zone"]


def test_the_zone_applies_to_the_admin_only_never_the_public_site(in_chicago, settings):
    from django.contrib.auth.models import AnonymousUser

    assert _zone_seen("/admin/", in_chicago) == "America/Chicago"
    # Public pages are cached and shared: they stay in the site's zone even for staff.
    assert _zone_seen("/conditions/test-condition/", in_chicago) == settings.TIME_ZONE
    assert _zone_seen("/admin/", AnonymousUser()) == settings.TIME_ZONE
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE  # deactivated after


def test_the_publishers_e_mail_gives_the_time_in_their_own_zone(
    approved, in_chicago, django_capture_on_commit_callbacks
):
    """The worker runs in the site's zone; the message is written in the reader's."""
    from django.core import mail

    from reviews import clock

    in_chicago.email = "pat@example.org"
    in_chicago.save()
    at = (clock.now() + timedelta(days=1)).replace(second=0, microsecond=0)
    workflow.schedule_publish(approved, in_chicago, at)
    with clock.frozen_at(at + timedelta(hours=1)), django_capture_on_commit_callbacks(execute=True):
        workflow.publish_due_scheduled()
    [message] = mail.outbox
    there = at.astimezone(ZoneInfo("America/Chicago"))
    when = f"{there:%B} {there.day}, {there.year}, {there:%H:%M} (America/Chicago)"
    assert f"“Test Condition” went live as you scheduled for {when}." in message.body
