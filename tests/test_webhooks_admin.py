"""The webhook screens of the admin: each delivery's status, attempts, response code and times;
a resend from the list sends again with the same webhook-id; rotating a secret shows the new
one once. SCREENSHOT_DIR keeps the picture of the delivery list."""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.accounts import create_partner
from tests.admin_http import AdminBrowser
from tests.browser import DESKTOP, ORIGIN, _fetch, _hrefs, chromium
from tests.conftest import make_user
from tests.test_webhooks import Receiver
from webhooks.models import EVENT_TYPES, Delivery, Endpoint


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


# The events an endpoint receives: one checkbox each

HOOK_URL = "http://127.0.0.1:9/hooks"  # loopback: allowed in the tests, never called here
EVENT_NAMES = [
    "page.published",
    "page.withdrawn",
    "page.moved",
    "page.review_overdue",
    "reference.retracted",
    "translation.stale",
]


@pytest.fixture
def superuser_browser(db):
    return AdminBrowser(make_user("root", is_superuser=True))


@pytest.fixture
def endpoint(db):
    partner = create_partner("Acme Health", contact_email="integrations@acme.example")[0]
    return Endpoint.objects.create(
        partner=partner, url=HOOK_URL, events=["reference.retracted", "page.withdrawn"]
    )


def change_path(endpoint):
    return reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])


def checkboxes(html) -> dict[str, bool]:
    """Each events checkbox of the form: its value, and whether it is checked."""
    inputs = re.findall(r'<input type="checkbox" name="events"[^>]*>', html)
    return {re.search(r'value="([^"]+)"', tag)[1]: " checked" in tag for tag in inputs}


def test_each_known_event_is_a_checkbox_checked_as_the_endpoint_stores_it(
    superuser_browser, endpoint
):
    html = superuser_browser.get(change_path(endpoint)).content.decode()
    assert checkboxes(html) == {
        "page.published": False,
        "page.withdrawn": True,
        "page.moved": False,
        "page.review_overdue": False,
        "reference.retracted": True,
        "translation.stale": False,
    }
    assert "<textarea" not in html  # no JSON to type
    assert [name for name, _ in EVENT_TYPES] == EVENT_NAMES


def test_saving_unchanged_keeps_the_events_stored(superuser_browser, endpoint):
    """Existing data survives the form: the same events (and an empty list stays every event)."""
    response = superuser_browser.save_unchanged(change_path(endpoint))
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert set(endpoint.events) == {"reference.retracted", "page.withdrawn"}
    Endpoint.objects.filter(pk=endpoint.pk).update(events=[])
    assert superuser_browser.save_unchanged(change_path(endpoint)).status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.events == []


def test_the_events_checked_are_stored_in_the_listed_order(superuser_browser, endpoint):
    path = change_path(endpoint)
    response = superuser_browser.save_changed(
        path, events=["reference.retracted", "page.published", "page.review_overdue"]
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.events == ["page.published", "page.review_overdue", "reference.retracted"]
    assert endpoint.wants("page.published")
    assert not endpoint.wants("page.withdrawn")


def test_an_endpoint_added_with_checked_events_receives_only_those(superuser_browser, endpoint):
    response = superuser_browser.post(
        reverse("admin:webhooks_endpoint_add"),
        {
            "partner": endpoint.partner.pk,
            "url": HOOK_URL + "/second",
            "events": ["page.withdrawn"],
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    added = Endpoint.objects.get(url=HOOK_URL + "/second")
    assert added.events == ["page.withdrawn"]


def test_an_unknown_event_is_refused_naming_the_events_field(superuser_browser, endpoint):
    response = superuser_browser.save_changed(
        change_path(endpoint), events=["page.published", "page.deleted"]
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["events"]
    assert "page.deleted is not one of the available choices" in form.errors["events"][0]
    html = response.content.decode()
    field = html[html.index("field-events") :]
    assert field.index("errorlist") < field.index('type="checkbox"')
    endpoint.refresh_from_db()
    assert endpoint.events == ["reference.retracted", "page.withdrawn"]


def test_the_endpoint_change_form_shows_the_events_as_checkboxes(admin_client, endpoint, tmp_path):
    """SCREENSHOT_DIR keeps the picture."""
    path = change_path(endpoint)
    responses = {path: _fetch(admin_client, path)}
    for css in {link.split('"')[0] for link in _hrefs(responses[path][2], ".css")}:
        responses[css] = _fetch(admin_client, css)
    with chromium() as browser:
        page = browser.new_context(viewport=DESKTOP).new_page()
        page.route(f"{ORIGIN}/**", lambda route: route.fulfill(**answer(responses, route)))
        page.goto(ORIGIN + path)
        boxes = page.get_by_role("checkbox")
        checked = [box.get_attribute("value") for box in boxes.all() if box.is_checked()]
        labels = [page.get_by_text(f"{name}: {meaning}") for name, meaning in EVENT_TYPES]
        heights = [label.bounding_box()["height"] for label in labels]
        shot = Path(os.environ.get("SCREENSHOT_DIR", tmp_path)) / "webhooks-endpoint-change.png"
        page.screenshot(path=shot, full_page=True)
    assert set(checked) >= {"page.withdrawn", "reference.retracted"}
    assert "page.published" not in checked
    assert max(heights) < 30  # each event on one line, not squeezed into the label column
    assert shot.stat().st_size > 0
