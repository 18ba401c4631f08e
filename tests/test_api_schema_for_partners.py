"""The OpenAPI document tells a partner's developer how to page, whom to ask, on what terms."""

import json

import pytest
from django.core.cache import cache

from tests.conftest import publish_page

SCHEMA = "/api/v1/schema/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def schema(client, db):
    return client.get(SCHEMA, {"format": "json"}).json()


def test_the_list_documents_its_cursor_page_size_and_page_shape(schema):
    """cursor and page_size are parameters; the answer is next, previous and results."""
    operation = schema["paths"]["/api/v1/conditions/"]["get"]
    names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert {"cursor", "page_size"} <= names
    ok = operation["responses"]["200"]
    assert "Link" in ok["headers"]
    reference = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][reference]["properties"]) == {
        "next",
        "previous",
        "results",
    }


def test_the_info_names_the_contact_licence_and_terms(client, db, settings):
    """From API_CONTACT_EMAIL, API_LICENSE_NAME / API_LICENSE_URL and API_TERMS_URL."""
    info = client.get(SCHEMA, {"format": "json"}).json()["info"]
    assert info["contact"]["name"].endswith("API")
    assert info["license"]["name"]


def test_a_list_page_links_the_next_and_previous_pages(api, editor, physician_user, publisher):
    """RFC 8288 Link: rel="next" on the first page, rel="prev" on the second, each before the
    licence every answer links (tests/test_syndication_terms.py)."""
    for slug in ("anxiety", "depression", "insomnia"):
        publish_page(editor, physician_user, publisher, slug)
    licence = '<http://testserver/about/syndication/>; rel="license"'
    first = api.get("/api/v1/conditions/", {"page_size": 2})
    next_url = first.json()["next"]
    assert first["Link"] == f'<{next_url}>; rel="next", {licence}'
    second = api.get(next_url)
    assert second["Link"] == f'<{second.json()["previous"]}>; rel="prev", {licence}'
    assert api.get("/api/v1/conditions/")["Link"] == licence


def test_the_api_changelog_is_served_from_the_repository(client, db):
    """/api/changelog/ is the Markdown file kept beside the code, with no key needed."""
    from api.changelog import CHANGELOG

    response = client.get("/api/changelog/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response.content.decode() == CHANGELOG.read_text(encoding="utf-8")
    assert client.post("/api/changelog/").status_code == 405


def test_every_answer_to_a_key_carries_the_ietf_ratelimit_fields(api, client, published):
    """The limit as RateLimit-Policy, what is left as RateLimit: on the short path, on DRF's,
    and on a 400; none without a key."""
    from partners.models import Partner

    limit = Partner.objects.get().rate_limit_per_minute
    detail = f"/api/v1/conditions/{published.slug}/"  # answered before DRF
    for path in (detail, "/api/v1/manifest/", "/api/v1/conditions/?page_size=0"):
        response = api.get(path)
        assert response["RateLimit-Policy"] == f'"partner";q={limit};w=60'
        remaining, reset = response["RateLimit"].removeprefix('"partner";').split(";")
        assert 0 <= int(remaining.removeprefix("r=")) < limit
        assert 1 <= int(reset.removeprefix("t=")) <= 60
    client.defaults.pop("HTTP_X_API_KEY")
    assert not client.get("/api/v1/manifest/").has_header("RateLimit")


def test_list_entries_and_the_detail_carry_the_live_publication_id(api, published):
    """publication_id, as the manifest and the webhooks give it: in the schema and the answers."""
    from reviews.models import Publication

    live = Publication.objects.for_object(published).live().get()
    [entry] = api.get("/api/v1/conditions/").json()["results"]
    assert entry["publication_id"] == live.pk
    assert api.get(f"/api/v1/conditions/{published.slug}/").json()["publication_id"] == live.pk
    schemas = api.get(SCHEMA, {"format": "json"}).json()["components"]["schemas"]
    for name in ("ConditionSummary", "ConditionDetail"):
        assert "publication_id" in schemas[name]["required"], name


def test_the_webhooks_are_described_and_real_deliveries_match_them(
    api, published, editor, physician_user, publisher, django_capture_on_commit_callbacks
):
    """OpenAPI 3.1 webhooks: every event type, and the body of each delivery a publish, a move
    and an unpublish make validates against its description."""
    from jsonschema import Draft202012Validator

    from partners.models import Partner
    from reviews import workflow
    from tests.conftest import PASSWORD, edit
    from webhooks.models import Delivery, Endpoint
    from webhooks.sending import body_of

    schema = api.get(SCHEMA, {"format": "json"}).json()
    assert schema["openapi"].startswith("3.1")
    assert set(schema["webhooks"]) == {
        "page.published",
        "page.withdrawn",
        "page.moved",
        "page.review_overdue",
        "translation.stale",
        "reference.retracted",
    }
    # Nothing listens on port 9: each delivery fails and waits for its retry, body stored.
    Endpoint.objects.create(partner=Partner.objects.get(), url="http://127.0.0.1:9/hooks")
    edit(published, editor, slug="renamed-page")
    workflow.sign_off(published, physician_user, PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(published, publisher)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(published, publisher, "Under revision.")
    deliveries = list(Delivery.objects.order_by("sequence"))
    assert [d.event_type for d in deliveries] == [
        "page.withdrawn",
        "page.moved",
        "page.published",
        "page.withdrawn",
    ]
    for delivery in deliveries:
        body = json.loads(body_of(delivery))
        described = schema["webhooks"][delivery.event_type]["post"]["requestBody"]
        root = {**described["content"]["application/json"]["schema"], **schema}
        errors = list(Draft202012Validator(root).iter_errors(body))
        assert errors == [], (delivery.event_type, [e.message for e in errors])
