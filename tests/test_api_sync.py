"""Incremental sync: a partner learns what was published and what was withdrawn since."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from reviews import workflow
from tests.conftest import PASSWORD, edit, publish_page

WITHDRAWN = "/api/v1/withdrawn/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def page(editor, physician_user, publisher):
    def publish(slug, **fields):
        return publish_page(editor, physician_user, publisher, slug, **fields)

    return publish


def withdrawn(api, **params):
    return [(w["slug"], w["reason"]) for w in api.get(WITHDRAWN, params).json()["results"]]


def test_an_unpublished_page_is_listed_as_withdrawn(api, page, publisher):
    """The address, its last title, when and why it went."""
    condition = page("ocd", title="OCD")
    workflow.unpublish(condition, publisher, "Under revision.")
    entry = api.get(WITHDRAWN).json()["results"][0]
    assert entry["slug"] == "ocd"
    assert entry["title"] == "OCD"
    assert entry["reason"] == "unpublished"
    assert entry["withdrawn_at"]


def test_a_page_published_at_a_new_address_withdraws_the_old_one(
    api, page, editor, physician_user, publisher
):
    """Changing a live page's slug lists the old address as moved; the new one is live, and
    the old one redirects there."""
    condition = page("ocd")
    edit(condition, editor, slug="obsessive-compulsive-disorder")
    workflow.sign_off(condition, physician_user, PASSWORD)
    workflow.publish(condition, publisher)
    assert withdrawn(api) == [("ocd", "moved")]
    assert api.get("/api/v1/conditions/obsessive-compulsive-disorder/").status_code == 200
    assert api.get("/api/v1/conditions/ocd/").status_code == 301


def test_a_page_published_again_is_no_longer_withdrawn(api, page, physician_user, publisher):
    """Unpublish then publish again: the page is live and not in the feed."""
    condition = page("ocd")
    workflow.unpublish(condition, publisher, "Under revision.")
    workflow.publish(condition, publisher)  # its sign-off still approves it
    assert withdrawn(api) == []
    assert api.get("/api/v1/conditions/ocd/").status_code == 200


def test_updated_since_gives_only_withdrawals_from_then_on(api, page, publisher):
    """A sync since a moment sees the withdrawals after it, oldest first."""
    first, second, third = page("first"), page("second"), page("third")
    workflow.unpublish(first, publisher, "Old.")
    since = timezone.now()
    workflow.unpublish(third, publisher, "Old.")
    workflow.unpublish(second, publisher, "Old.")
    assert withdrawn(api, updated_since=since.isoformat()) == [
        ("third", "unpublished"),
        ("second", "unpublished"),
    ]
    assert len(withdrawn(api)) == 3


def test_a_sync_with_both_feeds_mirrors_the_live_library(api, page, publisher):
    """Apply published pages and withdrawals since the last sync: the copy equals what is live."""
    kept, dropped = page("kept"), page("dropped")
    copy = {e["slug"] for e in api.get("/api/v1/conditions/").json()["results"]}
    since = timezone.now()
    workflow.unpublish(dropped, publisher, "Out of date.")
    page("added")
    params = {"updated_since": since.isoformat()}
    copy |= {e["slug"] for e in api.get("/api/v1/conditions/", params).json()["results"]}
    copy -= {slug for slug, _ in withdrawn(api, **params)}
    assert copy == {kept.slug, "added"}


def test_the_withdrawn_feed_answers_304_until_something_changes(api, page, publisher):
    """Its ETag is a hash of the answer."""
    condition = page("ocd")
    first = api.get(WITHDRAWN)
    assert api.get(WITHDRAWN, headers={"if-none-match": first["ETag"]}).status_code == 304
    workflow.unpublish(condition, publisher, "Under revision.")
    assert api.get(WITHDRAWN, headers={"if-none-match": first["ETag"]}).status_code == 200


def test_the_sync_watermark_resumes_a_sync_without_the_partners_clock(api, page, publisher):
    """Sync-Watermark on the list and the withdrawn list: the last publish or unpublish less a
    minute; sent back as updated_since it brings what changed after the answer, and the overlap
    only what the partner holds already."""
    from api.watermark import OVERLAP
    from reviews.models import ReviewEvent

    page("first")
    listed = api.get("/api/v1/conditions/")
    mark = listed["Sync-Watermark"]
    assert mark.endswith("Z")
    last = ReviewEvent.objects.latest("at").at
    assert mark == (last - OVERLAP).isoformat().replace("+00:00", "Z")
    assert api.get(WITHDRAWN)["Sync-Watermark"] == mark
    second = page("second")
    workflow.unpublish(second, publisher, "Gone again.")
    page("third")
    since = [
        e["slug"] for e in api.get("/api/v1/conditions/", {"updated_since": mark}).json()["results"]
    ]
    assert "third" in since
    assert withdrawn(api, updated_since=mark) == [("second", "unpublished")]
    assert api.get("/api/v1/conditions/")["Sync-Watermark"] > mark
