"""Content-Security-Policy: no inline script or style anywhere, and nothing the pages need is
refused by it in a real browser."""

import pytest
from django.http import HttpResponse

from tests.browser import chromium


@pytest.mark.parametrize("path", ["/conditions/", "/admin/login/"])
def test_every_response_forbids_inline_script_and_style(client, db, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"


ADMIN_PAGES = [
    "/admin/",
    "/admin/conditions/condition/",
    "/admin/conditions/condition/{pk}/change/",
    "/admin/conditions/condition/{pk}/review/",
    "/admin/conditions/condition/{pk}/timeline/",
    "/admin/conditions/condition/{pk}/history/",
    "/admin/review-queue/",
]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_public_page_and_the_admin_screens_run_under_the_policy(live_server, settings):
    from conditions.demo_content import load_demo
    from conditions.models import Condition

    settings.DEBUG = True
    load_demo()
    settings.DEBUG = False
    pk = Condition.objects.get().pk
    refused = []
    with chromium() as browser:
        page = browser.new_page()
        page.on(
            "console",
            lambda message: (
                refused.append((page.url, message.text))
                if "Content Security Policy" in message.text
                else None
            ),
        )
        page.goto(f"{live_server.url}/conditions/treatment-resistant-ocd/")
        page.goto(f"{live_server.url}/api/docs/")
        page.locator(".opblock").first.wait_for()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "ben.soffer")
        page.fill("#id_password", "tovani-physician")
        page.click("input[type=submit]")
        for path in ADMIN_PAGES:
            page.goto(live_server.url + path.format(pk=pk))
            assert page.locator("#content").count() == 1
    assert refused == []


def test_the_policy_is_built_once_for_every_answer_that_does_not_shape_it(client, db, monkeypatch):
    from csp.utils import build_policy

    from tovani import content_security

    calls = []

    def counted(**kwargs):
        calls.append(kwargs)
        return build_policy(**kwargs)

    monkeypatch.setattr(content_security, "build_policy", counted)
    content_security._built.clear()
    headers = [client.get(path)["Content-Security-Policy"] for path in ["/conditions/"] * 3]
    assert headers == [build_policy()] * 3
    # The policy and the report-only policy, once each, whatever the number of answers.
    assert len(calls) == 2


def test_an_answer_that_used_the_nonce_names_it_in_its_policy(rf):
    from tovani.content_security import CSPMiddleware

    middleware = CSPMiddleware(lambda request: None)
    request = rf.get("/")
    middleware.process_request(request)
    nonce = str(request.csp_nonce)
    response = middleware.process_response(request, HttpResponse("page"))
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    # The next answer, with no nonce asked for, carries none.
    other = rf.get("/")
    middleware.process_request(other)
    assert (
        "nonce-"
        not in middleware.process_response(other, HttpResponse())["Content-Security-Policy"]
    )


def test_a_view_that_changes_the_policy_keeps_its_change_and_only_its_own(client, db):
    docs = client.get("/api/docs/redoc/")["Content-Security-Policy"]
    page = client.get("/conditions/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in docs
    assert "'unsafe-inline'" not in page


def test_a_changed_setting_changes_the_header_at_once(client, db, settings):
    client.get("/conditions/")
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/conditions/")["Content-Security-Policy"] == "default-src 'none'"
