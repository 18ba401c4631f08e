"""The manifest carries each live page's evidence status and its evidence-reviewed-through date,
and a process that remembers the manifest hears when the evidence changes."""

import pytest

from evidence import dismissal, watch
from evidence.models import Finding
from tests.conftest import PASSWORD, answer_json
from tests.evidence_sources import CONCERN, cite, live_page_citing
from tests.evidence_sources import sources as sources  # noqa: F401 - the fixture, by its name

MANIFEST = "/api/v1/manifest/"


@pytest.fixture
def remembering(settings):
    """Answers remembered by the process, as in production."""
    settings.PAGE_MEMORY_CACHE_ENTRIES = 10
    settings.PAGE_POINTER_SECONDS = 60


def evidence_of(api, slug="cited-page"):
    (entry,) = [e for e in answer_json(api.get(MANIFEST))["results"] if e["slug"] == slug]
    return entry["evidence"]


def test_the_manifest_says_under_review_with_the_reason_then_current_again(
    api,
    sources,  # noqa: F811
    remembering,
    editor,
    physician_user,
    publisher,
):
    """An expression of concern makes the page under_review with its reason; the physician's
    dismissal makes it current, in a manifest the process had remembered."""
    live_page_citing(editor, physician_user, publisher, cite("b2020", pmid=CONCERN))
    assert evidence_of(api) == {
        "status": "current",
        "reasons": [],
        "reviewed_through": None,
        "reviewed_through_source": "editor",
    }

    watch.run()

    under_review = evidence_of(api)
    assert under_review["status"] == "under_review"
    assert under_review["reasons"][0].startswith("A study it cites has a concern: @b2020")

    dismissal.dismiss(Finding.objects.get(), physician_user, PASSWORD, "A notice of another trial.")

    assert evidence_of(api)["status"] == "current"


def test_the_manifests_etag_follows_the_evidence(
    api,
    sources,  # noqa: F811
    remembering,
    editor,
    physician_user,
    publisher,
):
    """A finding that opens a review changes the manifest's ETag: a partner revalidating gets
    the under_review status, not a 304."""
    live_page_citing(editor, physician_user, publisher, cite("b2020", pmid=CONCERN))
    before = api.get(MANIFEST)
    assert api.get(MANIFEST, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304

    watch.run()

    after = api.get(MANIFEST, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    (entry,) = answer_json(after)["results"]
    assert entry["evidence"]["status"] == "under_review"


def test_the_detail_carries_the_evidence_and_its_etag_follows_it(
    api,
    sources,  # noqa: F811
    editor,
    physician_user,
    publisher,
):
    """The detail's evidence member says under_review once a finding opens a review, and its
    ETag changes with it, so a partner revalidating gets the new status, not a 304."""
    live_page_citing(editor, physician_user, publisher, cite("b2020", pmid=CONCERN))
    before = api.get("/api/v1/conditions/cited-page/")
    assert before.json()["evidence"]["status"] == "current"

    watch.run()

    after = api.get("/api/v1/conditions/cited-page/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["evidence"]["status"] == "under_review"
    assert after.json()["slug"] == "cited-page"
