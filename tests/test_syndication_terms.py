"""The terms partners republish pages on: a reviewed editorial statement at /about/syndication/,
named by the OpenAPI document's info and by every answer of the partner surfaces as
`Link: <…>; rel="license"`."""

import json

from django.core.cache import cache

from conditions.demo_content import load_statements
from tests.pagetext import visible_text

TERMS = "http://testserver/about/syndication/"
LICENSE = f'<{TERMS}>; rel="license"'


def links(response) -> list[str]:
    return [part.strip() for part in response.get("Link", "").split(",") if part.strip()]


def test_the_demo_publishes_the_terms_with_a_physicians_sign_off(client, demo):
    """Attribution, linking back, the refresh interval, no edits to clinical text, withdrawals:
    published after the demo loads, signed like any page."""
    load_statements()
    response = client.get("/about/syndication/")
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    for topic in [
        "Attribution",
        "Linking back",
        "every 24 hours",
        "No edits to clinical text",
        "Withdrawn and moved pages",
        "take it down within 24 hours",
        "Last reviewed by Dr. Ben Soffer, DO",
    ]:
        assert topic in text


def test_every_partner_answer_links_the_terms_as_its_licence(api, client, published):
    """The detail answered before DRF and through it, a 304, the list beside its paging links,
    errors (400, 401, 404 outside any endpoint), FHIR, CDS Hooks and the changelog."""
    detail = f"/api/v1/conditions/{published.slug}/"
    fast = api.get(detail)
    assert fast.status_code == 200
    assert links(fast) == [LICENSE]
    assert links(api.get(detail, {"lang": "es"})) == [LICENSE]
    assert links(api.get(detail, HTTP_IF_NONE_MATCH=fast["ETag"])) == [LICENSE]
    listed = api.get("/api/v1/conditions/", {"page_size": 1})
    assert LICENSE in links(listed)
    for path in ["/api/v1/conditions/?page_size=0", "/api/nowhere/", "/fhir/DocumentReference"]:
        assert LICENSE in links(api.get(path)), path
    assert LICENSE in links(api.get("/cds-services"))
    assert LICENSE in links(client.get("/api/changelog/"))
    cache.clear()
    anonymous = client.get(detail, HTTP_X_API_KEY="")
    assert anonymous.status_code == 401
    assert links(anonymous) == [LICENSE]
    # The public site is not under these terms' header.
    assert "Link" not in client.get(published.get_absolute_url())


def test_a_list_page_keeps_its_paging_links_beside_the_licence(
    api, editor, physician_user, publisher
):
    from tests.conftest import publish_page

    for slug in ("first-page", "second-page"):
        publish_page(editor, physician_user, publisher, slug)
    response = api.get("/api/v1/conditions/", {"page_size": 1})
    found = links(response)
    assert found[-1] == LICENSE
    assert any(link.endswith('rel="next"') for link in found)


def test_the_openapi_document_names_the_terms(client, db, settings):
    """info.termsOfService is the statement on the served origin, or API_TERMS_URL."""
    schema = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)
    assert schema["info"]["termsOfService"] == TERMS
    settings.API_TERMS_URL = "https://partners.example/terms"
    schema = json.loads(client.get("/api/v1/schema/", {"format": "json"}).content)
    assert schema["info"]["termsOfService"] == "https://partners.example/terms"
    assert links(client.get("/api/v1/schema/")) == [
        '<https://partners.example/terms>; rel="license"'
    ]


def test_the_503_and_an_unknown_host_still_link_the_terms(api, db, monkeypatch):
    """The middleware's 503 carries it; a Host the site does not serve gets the path alone,
    never an address on that host."""
    from django.db import OperationalError
    from django.test import Client

    from api import views

    def lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.selectors, "withdrawn_pages", lost)
    response = api.get("/api/v1/withdrawn/")
    assert response.status_code == 503
    assert links(response) == [LICENSE]
    refused = Client(HTTP_HOST="evil.example").get("/api/v1/conditions/")
    assert refused.status_code == 400
    assert links(refused) == ['</about/syndication/>; rel="license"']
