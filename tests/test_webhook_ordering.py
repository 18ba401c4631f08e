"""Webhook events are numbered and complete, and an older retry never overtakes a newer event.

Every event names the page's live publication (`publication_id`) and carries a `sequence` that
only grows; a delivery about an address is superseded, never sent, once a newer event about
that address has reached the endpoint. A mirror fed by webhooks alone, applying the newest
sequence per address, ends equal to the manifest whatever order the retries come in. The
receiver is a real HTTP server on 127.0.0.1 verifying each delivery with standardwebhooks.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.cache import cache
from standardwebhooks import Webhook

from partners.accounts import create_partner
from reviews import workflow
from tests.conftest import PASSWORD, answer_json, edit, make_condition
from webhooks.models import Delivery, Endpoint
from webhooks.tasks import deliver


class Mirror:
    """A partner's copy kept by webhooks only: per address, the event of largest sequence wins.

    Answers 503 to its first `failures` deliveries, as a receiver that was down would.
    """

    def __init__(self, failures=0):
        self.failures = failures
        self.secret = None
        self.pages = {}  # slug -> (sequence, data or None when withdrawn)
        self.arrivals = []
        mirror = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                headers = {name.lower(): value for name, value in self.headers.items()}
                status = mirror.receive(body, headers)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_port}/hooks"

    def receive(self, body, headers):
        if self.failures:
            self.failures -= 1
            return 503
        event = Webhook(self.secret).verify(body, headers)
        self.arrivals.append((event["type"], event["data"]["sequence"]))
        self.apply(event["type"], event["data"])
        return 204

    def apply(self, kind, data):
        if kind not in ("page.published", "page.withdrawn", "page.review_overdue"):
            return  # page.moved repeats what the withdrawal and the publication say
        known = self.pages.get(data["slug"], (0, None))[0]
        if data["sequence"] > known:
            withdrawn = kind == "page.withdrawn"
            self.pages[data["slug"]] = (data["sequence"], None if withdrawn else data)

    def live(self) -> dict:
        return {
            slug: (data["publication_id"], data["digest"])
            for slug, (_, data) in self.pages.items()
            if data is not None
        }

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def mirror(db):
    started = []

    def start(failures=0):
        started.append(Mirror(failures))
        partner = create_partner(f"Mirror {len(started)}", contact_email="m@acme.example")[0]
        endpoint = Endpoint.objects.create(partner=partner, url=started[-1].url)
        started[-1].secret = endpoint.secret
        return started[-1]

    yield start
    for each in started:
        each.close()


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def sign_and_publish(page, physician_user, publisher):
    workflow.sign_off(page, physician_user, PASSWORD)
    return workflow.publish(page, publisher)


def run_retries_newest_first():
    """The worst order a worker could give: every pending retry, the newest event first."""
    for delivery in Delivery.objects.filter(status="pending").order_by("-sequence"):
        deliver.call(delivery.pk)


def manifest(api) -> dict:
    answer = answer_json(api.get("/api/v1/manifest/"))
    return {e["slug"]: (e["publication_id"], e["digest"]) for e in answer["results"]}


def test_every_page_event_names_its_publication_and_a_sequence_that_only_grows(
    mirror, editor, physician_user, publisher, django_capture_on_commit_callbacks
):
    """Published, republished and withdrawn: each event has publication_id and a larger sequence."""
    receiver = mirror()
    page = make_condition(editor, slug="ocd", title="OCD")
    with django_capture_on_commit_callbacks(execute=True):
        first = sign_and_publish(page, physician_user, publisher)
        edit(page, editor, summary="Revised.")
        second = sign_and_publish(page, physician_user, publisher)
        workflow.unpublish(page, publisher, "Under revision.")

    events = Delivery.objects.order_by("sequence").values_list("event_type", "payload")
    assert [(kind, data["publication_id"]) for kind, data in events] == [
        ("page.published", first.pk),
        ("page.published", second.pk),
        ("page.withdrawn", second.pk),
    ]
    sequences = [data["sequence"] for _, data in events]
    assert sequences == sorted(sequences)
    assert len(set(sequences)) == 3
    assert receiver.arrivals == [(kind, data["sequence"]) for kind, data in events]


def test_an_older_retry_is_superseded_once_a_newer_event_for_the_address_is_delivered(
    mirror, editor, physician_user, publisher, django_capture_on_commit_callbacks
):
    """The first publish fails, the republish gets through: the old event is never sent."""
    receiver = mirror(failures=1)
    page = make_condition(editor, slug="ocd", title="OCD")
    with django_capture_on_commit_callbacks(execute=True):
        sign_and_publish(page, physician_user, publisher)
        edit(page, editor, summary="Revised.")
        newer = sign_and_publish(page, physician_user, publisher)
    older = Delivery.objects.order_by("sequence").first()
    assert older.status == "pending"

    assert deliver.call(older.pk) == "superseded"
    assert [kind for kind, _ in receiver.arrivals] == ["page.published"]
    assert receiver.live() == {"ocd": (newer.pk, newer.digest)}


def test_a_retry_for_another_address_is_still_sent(
    mirror, editor, physician_user, publisher, django_capture_on_commit_callbacks
):
    """Superseding is per address: a newer event about another page does not cancel a retry."""
    receiver = mirror(failures=1)
    first = make_condition(editor, slug="ocd", title="OCD")
    second = make_condition(editor, slug="gad", title="GAD")
    with django_capture_on_commit_callbacks(execute=True):
        sign_and_publish(first, physician_user, publisher)
        sign_and_publish(second, physician_user, publisher)
    older = Delivery.objects.get(subject="ocd")

    assert deliver.call(older.pk) == "delivered"
    assert set(receiver.live()) == {"ocd", "gad"}


def test_a_mirror_fed_only_by_failing_then_reordered_webhooks_ends_equal_to_the_manifest(
    api, mirror, editor, physician_user, publisher, django_capture_on_commit_callbacks
):
    """Edits, a republish, an unpublish and a move, every retry newest first: the same pages."""
    receiver = mirror(failures=4)
    ocd = make_condition(editor, slug="ocd", title="OCD")
    gad = make_condition(editor, slug="gad", title="GAD")
    panic = make_condition(editor, slug="panic", title="Panic")
    with django_capture_on_commit_callbacks(execute=True):
        for page in (ocd, gad, panic):
            sign_and_publish(page, physician_user, publisher)
        edit(ocd, editor, summary="An edit to the summary.")
        sign_and_publish(ocd, physician_user, publisher)
        workflow.unpublish(gad, publisher, "Checking a dose.")
        workflow.publish(gad, publisher)  # republished: its sign-off still holds
        workflow.unpublish(panic, publisher, "Merged into another page.")
        edit(ocd, editor, slug="obsessive-compulsive-disorder")
        sign_and_publish(ocd, physician_user, publisher)
    assert Delivery.objects.filter(status="pending").count() == 4

    run_retries_newest_first()

    assert receiver.live() == manifest(api)
    assert set(receiver.live()) == {"obsessive-compulsive-disorder", "gad"}
    assert not Delivery.objects.filter(status="pending").exists()


def test_event_times_are_written_in_utc_with_z_as_the_api_writes_them(
    mirror, editor, physician_user, publisher, django_capture_on_commit_callbacks
):
    """The envelope's timestamp and the review's times end in Z, never +00:00."""
    mirror()
    page = make_condition(editor, slug="ocd", title="OCD")
    with django_capture_on_commit_callbacks(execute=True):
        sign_and_publish(page, physician_user, publisher)
    delivery = Delivery.objects.get()
    from webhooks.sending import body_of

    envelope = json.loads(body_of(delivery))
    review = envelope["data"]["review"]
    for moment in (envelope["timestamp"], review["reviewed_at"], review["published_at"]):
        assert moment.endswith("Z")
        assert "+00:00" not in moment
