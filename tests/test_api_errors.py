"""Every API error is a problem (RFC 9457): application/problem+json with type, title, status,
detail and instance, the API's code beside them, and never stored by a cache.

Each status the API answers with is pinned here, whoever produces it: DRF's exception handler,
the 404 for addresses outside the endpoints, the middleware's 503, the rate limit's 429.
"""

import json

import pytest
from django.db import OperationalError
from django.test import Client, RequestFactory
from django.utils.html import escape

from api import views
from api.errors import PROBLEM_TYPES, problem
from partners.accounts import create_partner
from partners.authentication import HasPartnerKey

LIST = "/api/v1/conditions/"


def assert_problem(response, status, code, *, instance):
    """The problem's members, and headers that keep it out of every cache."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body == {
        **body,
        "type": f"http://testserver/api/problems/{code}/",
        "title": PROBLEM_TYPES[code].title,
        "status": status,
        "instance": instance,
        "code": code,
    }
    assert body["detail"]
    return body


def test_invalid_parameters_are_a_400_problem_naming_each_parameter(api, db):
    response = api.get(LIST, {"page_size": "0", "colour": "red"})
    body = assert_problem(response, 400, "invalid", instance=LIST)
    assert sorted(body["parameters"]) == ["colour"]
    response = api.get(LIST, {"page_size": "0"})
    assert set(assert_problem(response, 400, "invalid", instance=LIST)["parameters"]) == {
        "page_size"
    }


def test_a_missing_key_is_a_401_problem_with_its_challenge(client, db):
    response = client.get(LIST)
    body = assert_problem(response, 401, "not_authenticated", instance=LIST)
    assert "X-API-Key" in body["detail"]
    assert response["WWW-Authenticate"] == 'ApiKey header="X-API-Key"'


def test_a_wrong_key_is_a_401_problem(client, db):
    response = client.get(LIST, headers={"x-api-key": "tvk_" + "0" * 55})
    assert_problem(response, 401, "authentication_failed", instance=LIST)
    assert response["WWW-Authenticate"]


def test_a_refused_permission_is_a_403_problem(api, monkeypatch):
    """A partner the permission refuses (none is today, but the shape is fixed)."""
    monkeypatch.setattr(HasPartnerKey, "has_permission", lambda self, request, view: False)
    assert_problem(api.get(LIST), 403, "permission_denied", instance=LIST)


def test_an_unknown_page_is_a_404_problem(api, db):
    path = "/api/v1/conditions/no-such-page/"
    body = assert_problem(api.get(path), 404, "not_found", instance=path)
    assert body["detail"] == "No page is published at this address."


def test_an_address_outside_the_endpoints_is_a_404_problem(api):
    path = "/api/v1/nothing/here/"
    assert_problem(api.get(path), 404, "not_found", instance=path)


def test_the_instance_is_the_path_as_a_uri(api):
    """A path with a newline in it is named percent-encoded: instance is a URI reference."""
    response = api.get("/api/v1/conditions/%0Aocd/")
    assert_problem(response, 404, "not_found", instance="/api/v1/conditions/%0Aocd/")


def test_a_method_the_api_does_not_answer_is_a_405_problem_with_allow(api, db):
    response = api.post(LIST)
    assert_problem(response, 405, "method_not_allowed", instance=LIST)
    assert "GET" in response["Allow"]


def test_over_the_rate_limit_is_a_429_problem_with_retry_after(client, db):
    _, key = create_partner("Small", rate_limit_per_minute=1)
    assert client.get(LIST, headers={"x-api-key": key}).status_code == 200
    response = client.get(LIST, headers={"x-api-key": key})
    assert_problem(response, 429, "throttled", instance=LIST)
    assert 1 <= int(response["Retry-After"]) <= 60


def test_a_failure_in_a_view_is_a_500_problem_that_says_nothing_of_it(api, monkeypatch):
    def broken(**kwargs):
        raise ValueError("secret internals")

    monkeypatch.setattr(views.selectors, "withdrawn_pages", broken)
    response = api.get("/api/v1/withdrawn/")
    assert_problem(response, 500, "server_error", instance="/api/v1/withdrawn/")
    assert "secret internals" not in response.content.decode()


def test_a_host_the_site_does_not_serve_is_a_400_problem_on_the_api(db):
    """Django refuses the Host before any view; the API still answers in its shape, and the
    page a visitor gets stays Django's."""
    client = Client(HTTP_HOST="evil.example")
    response = client.get(LIST)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["type"], body["title"], body["code"]) == (
        "about:blank",
        "Bad Request",
        "bad_request",
    )
    assert "evil.example" not in response.content.decode()
    page = client.get("/conditions/")
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


def test_a_database_lost_in_a_view_is_a_503_problem_with_retry_after(api, monkeypatch):
    """DRF leaves it to tovani.middleware, which answers with the same problem shape."""

    def lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views.selectors, "withdrawn_pages", lost)
    response = api.get("/api/v1/withdrawn/")
    assert_problem(response, 503, "service_unavailable", instance="/api/v1/withdrawn/")
    assert response["Retry-After"] == "30"


def test_a_code_without_a_page_has_type_about_blank_and_the_status_as_title():
    response = problem(RequestFactory().get("/api/v1/x/"), 418, "teapot", "Short and stout.")
    assert json.loads(response.content) == {
        "type": "about:blank",
        "title": "I'm a Teapot",
        "status": 418,
        "detail": "Short and stout.",
        "instance": "/api/v1/x/",
        "code": "teapot",
    }


def test_extension_members_follow_the_standard_ones():
    response = problem(RequestFactory().get("/api/v1/x/"), 400, "invalid", "Bad.", parameters={})
    assert list(json.loads(response.content)) == [
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "code",
        "parameters",
    ]


@pytest.mark.parametrize("code", sorted(PROBLEM_TYPES))
def test_each_type_uri_is_a_page_saying_what_it_means_and_what_to_do(client, db, code):
    """The type of every problem resolves to a public page: its title, meaning and remedy."""
    known = PROBLEM_TYPES[code]
    response = client.get(f"/api/problems/{code}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    for text in [known.title, code, str(known.status), known.meaning, known.remedy]:
        assert escape(text) in html
    assert client.get("/api/problems/").content.decode().count(f"/api/problems/{code}/") == 1


def test_an_unknown_problem_type_is_itself_a_404_problem(client, db):
    path = "/api/problems/no_such_code/"
    assert_problem(client.get(path), 404, "not_found", instance=path)


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/nothing/here/", 404, "not_found"),
        ("/api/problems/throttled/", 405, "method_not_allowed"),
        (LIST, 401, "not_authenticated"),
    ],
)
def test_a_post_anywhere_under_the_api_gets_a_problem_not_the_csrf_page(db, path, status, code):
    """Without a CSRF token, as a partner's client sends it."""
    response = Client(enforce_csrf_checks=True).post(path)
    assert_problem(response, status, code, instance=path)
