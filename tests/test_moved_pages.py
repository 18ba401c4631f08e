"""A page published at a new slug has moved: partners hear of it, and its old addresses redirect.

The move is announced as `page.moved` (both addresses) and as a withdrawal of the old slug
saying where the page went; the withdrawn list says so too. The old public and API addresses
answer 301 to the new ones for as long as the page lives, in one step however often it moved;
an address another page has taken since is that page's.
"""

import pytest
from django.core.cache import cache

from partners.accounts import create_partner
from reviews import workflow
from tests.conftest import PASSWORD, edit, publish_page
from webhooks.models import Delivery, Endpoint

ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def move(editor, physician_user, publisher):
    def to(page, slug):
        edit(page, editor, slug=slug)
        workflow.sign_off(page, physician_user, PASSWORD)
        return workflow.publish(page, publisher)

    return to


@pytest.fixture
def ocd(editor, physician_user, publisher):
    return publish_page(editor, physician_user, publisher, "ocd", title="OCD")


def test_the_old_public_address_answers_301_to_the_new_one(client, ocd, move):
    """The page, its history page, and a query string kept."""
    move(ocd, "obsessive-compulsive-disorder")
    response = client.get("/conditions/ocd/?from=search")
    assert response.status_code == 301
    assert response["Location"] == f"{ORIGIN}/conditions/obsessive-compulsive-disorder/?from=search"
    history = client.get("/conditions/ocd/history/")
    assert history.status_code == 301
    assert history["Location"].endswith("/conditions/obsessive-compulsive-disorder/history/")
    assert client.get(response["Location"]).status_code == 200


def test_the_old_api_address_answers_301_to_the_new_one(api, ocd, move):
    """The detail and its history, with the partner's key; the new address answers 200."""
    move(ocd, "obsessive-compulsive-disorder")
    response = api.get("/api/v1/conditions/ocd/")
    assert response.status_code == 301
    assert response["Location"] == f"{ORIGIN}/api/v1/conditions/obsessive-compulsive-disorder/"
    assert api.get("/api/v1/conditions/ocd/history/").status_code == 301
    assert api.get(response["Location"]).json()["slug"] == "obsessive-compulsive-disorder"


def test_a_page_moved_twice_redirects_from_its_first_address_in_one_step(client, ocd, move):
    """The chain ocd → obsessive-compulsive-disorder → ocd-adults collapses to one 301."""
    move(ocd, "obsessive-compulsive-disorder")
    move(ocd, "ocd-adults")
    for old in ("ocd", "obsessive-compulsive-disorder"):
        response = client.get(f"/conditions/{old}/")
        assert response.status_code == 301
        assert response["Location"] == f"{ORIGIN}/conditions/ocd-adults/"


def test_a_slug_taken_by_another_page_is_that_pages(
    client, ocd, move, editor, physician_user, publisher
):
    """Once another page is published at the old address, it answers there, not a redirect."""
    move(ocd, "obsessive-compulsive-disorder")
    publish_page(editor, physician_user, publisher, "ocd", title="OCD in children")
    response = client.get("/conditions/ocd/")
    assert response.status_code == 200
    assert b"OCD in children" in response.content


def test_the_old_address_of_a_page_no_longer_live_is_a_404(client, api, ocd, move, publisher):
    """The redirect lasts as long as the page lives."""
    move(ocd, "obsessive-compulsive-disorder")
    workflow.unpublish(ocd, publisher, "Withdrawn for revision.")
    assert client.get("/conditions/ocd/").status_code == 404
    assert api.get("/api/v1/conditions/ocd/").status_code == 404


def test_an_address_never_published_stays_a_404(client, api, ocd):
    """No redirect is invented for an unknown slug."""
    assert client.get("/conditions/no-such-page/").status_code == 404
    assert api.get("/api/v1/conditions/no-such-page/").status_code == 404


def test_the_withdrawn_list_says_where_a_moved_page_went(api, ocd, move):
    """moved_to names the current address, collapsed over two moves; null when unpublished."""
    move(ocd, "obsessive-compulsive-disorder")
    move(ocd, "ocd-adults")
    results = api.get("/api/v1/withdrawn/").json()["results"]
    assert {w["slug"]: w["moved_to"] for w in results} == {
        "ocd": {
            "slug": "ocd-adults",
            "url": f"{ORIGIN}/conditions/ocd-adults/",
            "api_url": f"{ORIGIN}/api/v1/conditions/ocd-adults/",
        },
        "obsessive-compulsive-disorder": {
            "slug": "ocd-adults",
            "url": f"{ORIGIN}/conditions/ocd-adults/",
            "api_url": f"{ORIGIN}/api/v1/conditions/ocd-adults/",
        },
    }


def test_a_move_is_announced_as_a_withdrawal_of_the_old_slug_and_a_page_moved_event(
    ocd, move, django_capture_on_commit_callbacks, settings
):
    """Three events, in this order: the old slug withdrawn with moved_to, the move, the page."""
    settings.SITE_URL = "https://library.example"
    partner = create_partner("Acme", contact_email="api@acme.example")[0]
    Endpoint.objects.create(partner=partner, url="http://127.0.0.1:9/hooks")
    with django_capture_on_commit_callbacks(execute=True):  # nobody listens at port 9
        publication = move(ocd, "obsessive-compulsive-disorder")
    events = list(Delivery.objects.order_by("sequence").values_list("event_type", "payload"))
    assert [kind for kind, _ in events] == ["page.withdrawn", "page.moved", "page.published"]
    withdrawn, moved, published = (data for _, data in events)
    new = {
        "slug": "obsessive-compulsive-disorder",
        "url": "https://library.example/conditions/obsessive-compulsive-disorder/",
        "api_url": "https://library.example/api/v1/conditions/obsessive-compulsive-disorder/",
    }
    assert withdrawn["slug"] == "ocd"
    assert withdrawn["reason"] == "moved"
    assert withdrawn["moved_to"] == new
    assert moved["from"]["url"] == "https://library.example/conditions/ocd/"
    assert moved["to"] == new
    assert moved["publication_id"] == published["publication_id"] == publication.pk
    assert published["slug"] == "obsessive-compulsive-disorder"


def test_a_publish_at_the_same_slug_is_no_move(
    ocd, editor, physician_user, publisher, django_capture_on_commit_callbacks
):
    """A republished page sends page.published alone."""
    partner = create_partner("Acme", contact_email="api@acme.example")[0]
    Endpoint.objects.create(partner=partner, url="http://127.0.0.1:9/hooks")
    with django_capture_on_commit_callbacks(execute=True):
        edit(ocd, editor, summary="Revised.")
        workflow.sign_off(ocd, physician_user, PASSWORD)
        workflow.publish(ocd, publisher)
    assert list(Delivery.objects.values_list("event_type", flat=True)) == ["page.published"]
