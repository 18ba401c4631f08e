"""Content-Security-Policy: no inline script or style anywhere, and nothing the pages need is
refused by it in a real browser."""

import pytest

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
