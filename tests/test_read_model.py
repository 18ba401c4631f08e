"""One read model: the public pages and the API read the same rows, and say the same things."""

import pytest

from conditions.read_model import TreatmentListing
from partners.accounts import create_partner
from publishing.models import PageRendering
from reviews import workflow
from tests.library import publish_condition, treatment
from tests.pagetext import visible_text


@pytest.fixture
def people(editor, physician_user, publisher):
    return editor, physician_user, publisher


@pytest.fixture
def key(db):
    return create_partner("Acme", rate_limit_per_minute=10_000)[1]


def api_get(client, key, url):
    return client.get(url, headers={"x-api-key": key})


def test_a_treatment_has_the_same_name_and_summary_on_its_page_and_in_the_api(client, people, key):
    """Both take the wording of the most recently reviewed live page that presents it."""
    drug = treatment("sertraline", "Sertraline", summary="An SSRI.")
    publish_condition(people, "gad", "Anxiety", treatments=[(drug, "first_line")])
    drug.name, drug.summary = "Sertraline (Zoloft)", "A selective serotonin reuptake inhibitor."
    drug.save()
    publish_condition(people, "mdd", "Depression", treatments=[(drug, "first_line")])

    page = visible_text(client.get("/treatments/sertraline/").content.decode())
    detail = api_get(client, key, "/api/v1/treatments/sertraline/").json()
    listed = api_get(client, key, "/api/v1/treatments/").json()["results"][0]

    assert "A selective serotonin reuptake inhibitor." in page
    assert "An SSRI." not in page
    assert "Sertraline (Zoloft)" in page
    assert detail["summary"] == listed["summary"] == "A selective serotonin reuptake inhibitor."
    assert detail["name"] == listed["name"] == "Sertraline (Zoloft)"
    assert [use["slug"] for use in detail["conditions"]] == ["gad", "mdd"]
    assert detail["conditions"][0]["description"]["text"] == "Sertraline for Anxiety."


def test_publishing_stores_the_page_and_the_api_json_beside_the_publication(people):
    """HTML and JSON are rendered once, inside publish(), with the origin left to fill in."""
    page = publish_condition(people, "ocd", "OCD")
    publication = workflow.live_publication(page)
    stored = dict(
        PageRendering.objects.filter(publication=publication).values_list("template", "html")
    )
    assert set(stored) == {
        "conditions/detail.html",
        "conditions/history.html",
        "api/condition.json",
        "api/condition-summary.json",
        "api/manifest-entry.json",
    }
    assert '"url":"https://origin.invalid/conditions/ocd/"' in stored["api/condition.json"]
    assert '"slug":"ocd"' in stored["api/condition-summary.json"]


def test_the_api_detail_is_the_stored_json_with_the_site_origin_filled_in(
    client, people, key, settings
):
    """Links are on SITE_URL when it is set, whatever Host the request names."""
    publish_condition(people, "ocd", "OCD")
    settings.SITE_URL = "https://library.example"
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    body = api_get(client, key, "/api/v1/conditions/ocd/").json()
    assert body["url"] == "https://library.example/conditions/ocd/"
    listed = client.get(
        "/api/v1/conditions/", headers={"x-api-key": key, "host": "other.example"}
    ).json()
    assert listed["results"][0]["api_url"] == "https://library.example/api/v1/conditions/ocd/"


def test_unpublishing_takes_the_page_out_of_the_read_model_lists(client, people, key, publisher):
    """The entry and its treatment listings go with the live pointer, in one transaction."""
    drug = treatment("bupropion", "Bupropion")
    page = publish_condition(people, "mdd", "Depression", treatments=[(drug, "first_line")])
    workflow.unpublish(page, publisher, "Withdrawn.")
    assert not TreatmentListing.objects.exists()
    assert api_get(client, key, "/api/v1/conditions/").json()["results"] == []
    assert api_get(client, key, "/api/v1/treatments/sertraline/").status_code == 404
