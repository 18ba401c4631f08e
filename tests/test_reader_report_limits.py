"""Reader reports are limited per reader, through the one throttle: behind the proxy each
reader counts apart, and with Redis gone a report is still received, never a 500."""

import pytest
from django.urls import reverse

from feedback.models import Report
from reviews.models import Publication
from tests.redis_server import point_at_a_dead_redis

GOOD = {"kind": "error", "message": "The second key point cites the wrong trial.", "contact": ""}
PROXY = "127.0.0.1"


@pytest.fixture
def live(published):
    return Publication.objects.live().get()


def send(client, publication, reader):
    """A report from reader's address, arriving through the shipped proxy."""
    return client.post(
        reverse("feedback:report", args=[publication.pk]),
        GOOD,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=reader,
    )


def test_seven_readers_behind_the_proxy_are_limited_separately(client, live, settings):
    """Each reader has their own hourly limit; the proxy's address is nobody's."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.FEEDBACK_REPORTS_PER_HOUR = 5
    readers = [f"203.0.113.{n}" for n in range(1, 8)]
    assert [send(client, live, reader).status_code for reader in readers] == [302] * 7
    assert Report.objects.count() == 7
    statuses = [send(client, live, readers[0]).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 302, 429]


def test_a_report_with_redis_down_is_received(client, live, settings, tmp_path):
    """The count falls back to the process; the report is saved and the reader thanked."""
    point_at_a_dead_redis(settings, tmp_path)
    response = send(client, live, "203.0.113.9")
    assert response.status_code == 302
    assert Report.objects.count() == 1
