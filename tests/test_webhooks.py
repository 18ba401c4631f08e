"""Partners hear of publications and withdrawals by signed webhooks, retried until they answer.

A partner's endpoint, added with `add_webhook` (which prints the whsec_ secret once), receives a
Standard Webhooks delivery after the publication commits; the standardwebhooks library verifies
it with that secret. A failing endpoint is tried again with the same webhook-id, a delivered one
never twice; an endpoint failing for a day is disabled and its partner e-mailed. Outside
development only https:// to public addresses is called, checked again at each delivery, and a
redirect is never followed. The receivers are real HTTP servers on 127.0.0.1.
"""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from standardwebhooks import Webhook

from partners.accounts import create_partner
from reviews import workflow
from tests.conftest import PASSWORD
from webhooks.models import Delivery, Endpoint
from webhooks.sending import RETRY_SCHEDULE
from webhooks.tasks import deliver, resend


class Receiver:
    """An HTTP server on 127.0.0.1 answering each POST with the next status of `answers`."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body.decode("utf-8")))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                if status in (301, 302, 307):
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_port}/hooks/tovani"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_factory():
    started = []

    def start(*answers):
        started.append(Receiver(answers))
        return started[-1]

    yield start
    for receiver in started:
        receiver.close()


@pytest.fixture
def partner(db):
    return create_partner("Acme Health", contact_email="integrations@acme.example")[0]


def add_webhook(partner, url, *events):
    out = StringIO()
    args = ["add_webhook", partner.name, url]
    if events:
        args += ["--events", *events]
    call_command(*args, stdout=out)
    secret = out.getvalue().split("Signing secret (shown only now): ")[1].split()[0]
    return Endpoint.objects.get(url=url), secret


def publish(condition, physician_user, publisher, capture):
    workflow.sign_off(condition, physician_user, PASSWORD)
    with capture(execute=True):
        return workflow.publish(condition, publisher)


def verified(secret, request):
    headers, body = request
    lowered = {name.lower(): value for name, value in headers.items()}
    return Webhook(secret).verify(body, lowered)


def test_a_publish_reaches_the_endpoint_signed_and_a_failure_is_retried_with_the_same_id(
    partner,
    receiver_factory,
    condition,
    physician_user,
    publisher,
    django_capture_on_commit_callbacks,
):
    receiver = receiver_factory(503, 200)
    endpoint, secret = add_webhook(partner, receiver.url)
    assert secret.startswith("whsec_")

    publication = publish(condition, physician_user, publisher, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("pending", 1, 503)
    assert delivery.next_attempt_at is not None

    assert deliver.call(delivery.pk) == "delivered"  # the worker's next attempt

    first, second = receiver.received
    assert first[0]["webhook-id"] == second[0]["webhook-id"] == delivery.event_id
    event = verified(secret, second)
    assert event["type"] == "page.published"
    assert event["data"]["slug"] == publication.slug
    assert event["data"]["digest"] == publication.digest
    assert event["data"]["url"].endswith(f"/conditions/{publication.slug}/")
    assert event["data"]["review"]["reviewed_by"] == publication.sign_off.signature
    assert event["data"]["review"]["verification"]["signature"] == publication.signature
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 2, 200)


def test_a_delivery_signed_with_another_secret_does_not_verify(
    partner, receiver_factory, published, editor, physician_user, publisher, capture_commits
):
    receiver = receiver_factory(200)
    _, secret = add_webhook(partner, receiver.url)
    with capture_commits(execute=True):
        workflow.unpublish(published, publisher, "Withdrawn while the dosing is checked.")

    other = Endpoint(partner=partner, url=receiver.url)
    from standardwebhooks.webhooks import WebhookVerificationError

    with pytest.raises(WebhookVerificationError):
        verified(other.secret, receiver.received[0])
    assert verified(secret, receiver.received[0])["type"] == "page.withdrawn"


@pytest.fixture
def capture_commits(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_a_delivered_event_is_never_sent_twice_by_the_worker(
    partner, receiver_factory, condition, physician_user, publisher, capture_commits
):
    receiver = receiver_factory(200)
    add_webhook(partner, receiver.url)
    publish(condition, physician_user, publisher, capture_commits)
    delivery = Delivery.objects.get()

    assert deliver.call(delivery.pk) == "delivered"
    assert len(receiver.received) == 1


def test_a_resend_sends_again_with_the_same_webhook_id(
    partner, receiver_factory, condition, physician_user, publisher, capture_commits
):
    receiver = receiver_factory(200, 200)
    add_webhook(partner, receiver.url)
    publish(condition, physician_user, publisher, capture_commits)
    delivery = Delivery.objects.get()

    with capture_commits(execute=True):
        resend(delivery)

    assert [r[0]["webhook-id"] for r in receiver.received] == [delivery.event_id] * 2


def test_an_endpoint_only_hears_the_events_it_chose(
    partner, receiver_factory, condition, physician_user, publisher, capture_commits
):
    receiver = receiver_factory()
    add_webhook(partner, receiver.url, "page.withdrawn")
    publish(condition, physician_user, publisher, capture_commits)

    assert receiver.received == []
    assert not Delivery.objects.exists()


def test_a_redirect_is_a_failure_and_is_not_followed(
    partner, receiver_factory, condition, physician_user, publisher, capture_commits
):
    receiver = receiver_factory(302)
    add_webhook(partner, receiver.url)
    publish(condition, physician_user, publisher, capture_commits)

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.response_code) == ("pending", 302)
    assert len(receiver.received) == 1


def test_retries_last_more_than_a_day_then_the_delivery_gives_up(
    partner, receiver_factory, condition, physician_user, publisher, capture_commits
):
    assert sum(RETRY_SCHEDULE, timedelta()) >= timedelta(hours=24)
    receiver = receiver_factory(*[500] * (len(RETRY_SCHEDULE) + 1))
    add_webhook(partner, receiver.url)
    publish(condition, physician_user, publisher, capture_commits)
    delivery = Delivery.objects.get()
    Endpoint.objects.update(failing_since=None)  # keep the endpoint enabled throughout

    for _ in RETRY_SCHEDULE:
        Endpoint.objects.update(failing_since=None)
        deliver.call(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", len(RETRY_SCHEDULE) + 1)


def test_an_endpoint_failing_for_a_day_is_disabled_and_its_partner_emailed(
    partner, receiver_factory, condition, physician_user, publisher, capture_commits
):
    receiver = receiver_factory(500, 500)
    endpoint, _ = add_webhook(partner, receiver.url)
    Endpoint.objects.filter(pk=endpoint.pk).update(
        failing_since=timezone.now() - timedelta(hours=25)
    )

    publish(condition, physician_user, publisher, capture_commits)

    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert endpoint.disabled_at is not None
    [message] = mail.outbox
    assert message.to == ["integrations@acme.example"]
    assert receiver.url in message.subject
    assert deliver.call(Delivery.objects.get().pk) == "pending"  # no more attempts
    assert len(receiver.received) == 1


def test_a_day_of_failures_starts_counting_at_the_first_failure(
    partner, receiver_factory, condition, physician_user, publisher, capture_commits
):
    receiver = receiver_factory(500)
    endpoint, _ = add_webhook(partner, receiver.url)

    publish(condition, physician_user, publisher, capture_commits)

    endpoint.refresh_from_db()
    assert endpoint.enabled
    assert endpoint.failing_since is not None
    assert mail.outbox == []


class TestInProduction:
    @pytest.fixture(autouse=True)
    def production(self, settings):
        settings.WEBHOOK_ALLOW_LOOPBACK = False

    def test_http_endpoints_are_refused(self, partner):
        with pytest.raises(CommandError, match="must use https://"):
            add_webhook(partner, "http://93.184.215.14/hooks")
        assert not Endpoint.objects.exists()

    @pytest.mark.parametrize(
        "url", ["https://127.0.0.1/hooks", "https://10.0.0.7/hooks", "https://[::1]/hooks"]
    )
    def test_endpoints_inside_the_network_are_refused(self, partner, url):
        with pytest.raises(CommandError, match="address inside a network"):
            add_webhook(partner, url)

    def test_a_name_that_resolves_inside_the_network_is_refused(self, partner):
        with pytest.raises(CommandError, match="localhost resolves to .* inside a network"):
            add_webhook(partner, "https://localhost/hooks")

    def test_the_address_is_checked_again_at_delivery(
        self, partner, receiver_factory, condition, physician_user, publisher, settings
    ):
        receiver = receiver_factory(200)
        endpoint = Endpoint.objects.create(partner=partner, url=receiver.url)
        delivery = Delivery.objects.create(
            endpoint=endpoint, event_id="msg_test", event_type="page.published", payload={}
        )

        assert deliver.call(delivery.pk) == "pending"

        delivery.refresh_from_db()
        assert "inside a network" in delivery.last_error
        assert receiver.received == []


def test_unknown_partner_and_event_types_are_named(partner):
    with pytest.raises(CommandError, match="No partner named “Nobody”"):
        call_command("add_webhook", "Nobody", "https://example.com/hooks")
    with pytest.raises(CommandError, match="invalid choice: 'page.deleted'"):
        call_command("add_webhook", partner.name, "https://x.example/h", "--events", "page.deleted")


def test_the_delivery_body_is_the_standard_webhooks_envelope(
    partner, receiver_factory, condition, physician_user, publisher, capture_commits
):
    receiver = receiver_factory(200)
    add_webhook(partner, receiver.url)
    publish(condition, physician_user, publisher, capture_commits)

    headers, body = receiver.received[0]
    envelope = json.loads(body)
    assert set(envelope) == {"type", "timestamp", "data"}
    assert headers["Content-Type"] == "application/json"
    assert headers["webhook-signature"].startswith("v1,")


def test_an_overdue_review_is_announced_once_however_often_the_daily_check_runs(
    partner, receiver_factory, published, settings, capture_commits
):
    from reviews import clock

    receiver = receiver_factory(200)
    _, secret = add_webhook(partner, receiver.url, "page.review_overdue")
    later = timezone.now() + timedelta(days=settings.REVIEW_INTERVAL_DAYS + 1)
    with clock.frozen_at(later), capture_commits(execute=True):
        for _ in range(2):
            with pytest.raises(CommandError, match="overdue"):
                call_command("review_due", "--no-email", stdout=StringIO())

    [request] = receiver.received
    event = verified(secret, request)
    assert event["type"] == "page.review_overdue"
    assert event["data"]["slug"] == published.slug


def test_a_retraction_names_the_live_pages_that_cite_the_reference(
    partner, receiver_factory, editor, physician_user, publisher, capture_commits
):
    from references.models import Reference
    from tests.conftest import make_condition, make_reference

    reference = make_reference("rodriguez2013", doi="10.1038/npp.2013.150")
    page = make_condition(editor, clinical_definition="Ketamine helped [@rodriguez2013].")
    workflow.sign_off(page, physician_user, PASSWORD)
    workflow.publish(page, publisher)
    receiver = receiver_factory(200)
    _, secret = add_webhook(partner, receiver.url, "reference.retracted")

    with capture_commits(execute=True):
        reference.retracted = True
        reference.retraction_notice = "Retracted by the journal, 2026."
        reference.full_clean()
        reference.save()
        Reference.objects.get(pk=reference.pk).save()  # saved again: announced once

    [request] = receiver.received
    event = verified(secret, request)
    assert event["type"] == "reference.retracted"
    assert event["data"]["citekey"] == "rodriguez2013"
    assert event["data"]["doi"] == "10.1038/npp.2013.150"
    assert [p["slug"] for p in event["data"]["pages"]] == [page.slug]
