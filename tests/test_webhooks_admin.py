"""The webhook screens of the admin: each delivery's status, attempts, response code and times;
a resend from the list sends again with the same webhook-id; rotating a secret shows the new
one once. SCREENSHOT_DIR keeps the picture of the delivery list."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.accounts import create_partner
from tests.browser import DESKTOP, ORIGIN, _fetch, _hrefs, chromium
from tests.conftest import make_user
from tests.test_webhooks import Receiver
from webhooks.models import Delivery, Endpoint


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("root", is_superuser=True))
    return client


@pytest.fixture
def receiver():
    started = Receiver([200])
    yield started
    started.close()


@pytest.fixture
def deliveries(db, receiver):
    partner = create_partner("Acme Health", contact_email="integrations@acme.example")[0]
    endpoint = Endpoint.objects.create(partner=partner, url=receiver.url)
    now = timezone.now()
    return [
        Delivery.objects.create(
            endpoint=endpoint,
            event_id="msg_delivered",
            event_type="page.published",
            payload={"slug": "treatment-resistant-ocd"},
            status=Delivery.Status.DELIVERED,
            attempts=2,
            response_code=200,
            last_attempt_at=now,
            delivered_at=now,
        ),
        Delivery.objects.create(
            endpoint=endpoint,
            event_id="msg_failing",
            event_type="page.withdrawn",
            payload={"slug": "old-address"},
            attempts=3,
            response_code=503,
            last_error="HTTP 503",
            last_attempt_at=now,
            next_attempt_at=now + timezone.timedelta(minutes=30),
        ),
    ]


def test_the_delivery_list_shows_status_attempts_code_and_time(admin_client, deliveries, tmp_path):
    path = reverse("admin:webhooks_delivery_changelist")
    html = admin_client.get(path).content.decode()
    for text in ["Delivered", "Pending", "503", "page.withdrawn", "Resend the selected"]:
        assert text in html
    # Fetched before the browser starts: the ORM must not run inside Playwright's event loop.
    responses = {path: _fetch(admin_client, path)}
    for css in {link.split('"')[0] for link in _hrefs(responses[path][2], ".css")}:
        responses[css] = _fetch(admin_client, css)
    with chromium() as browser:
        page = browser.new_context(viewport=DESKTOP).new_page()
        page.route(f"{ORIGIN}/**", lambda route: route.fulfill(**answer(responses, route)))
        page.goto(ORIGIN + path)
        shot = Path(os.environ.get("SCREENSHOT_DIR", tmp_path)) / "webhooks-deliveries.png"
        page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 0


def answer(responses, route):
    url = urlsplit(route.request.url)
    status, headers, body = responses.get(url.path, (404, {}, b""))
    return {"status": status, "headers": headers, "body": body}


def test_resend_from_the_list_sends_again_with_the_same_webhook_id(
    admin_client, deliveries, receiver, django_capture_on_commit_callbacks
):
    delivered = deliveries[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:webhooks_delivery_changelist"),
            {"action": "resend", "_selected_action": [delivered.pk]},
        )
    assert response.status_code == 302
    [(headers, _)] = receiver.received
    assert headers["webhook-id"] == "msg_delivered"


def test_rotating_a_secret_shows_the_new_one_once(admin_client, deliveries):
    endpoint = Endpoint.objects.get()
    old = endpoint.secret
    response = admin_client.post(
        reverse("admin:webhooks_endpoint_changelist"),
        {"action": "rotate_secret", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in response.content.decode()
    assert (
        endpoint.secret
        not in admin_client.get(
            reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
        ).content.decode()
    )
