"""Public pages only read: GET and HEAD answer; every other method is a 405 naming them.

Before, a POST got the whole page or Django's CSRF failure page, and OPTIONS the page.
"""

import pytest
from django.test import Client

from tests.test_api import add_treatment

PUBLIC = [
    "/",
    "/conditions/",
    "/conditions/test-condition/",
    "/treatments/lithium/",
    "/search/?q=test",
    "/feeds/reviewed.atom",
    "/sitemap.xml",
    "/robots.txt",
]


@pytest.fixture
def live_page(published):
    add_treatment(published, "lithium")
    return published


@pytest.mark.parametrize("path", PUBLIC)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_a_public_page_refuses_every_method_but_get_and_head(db, path, method):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(path)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("path", PUBLIC)
def test_a_public_page_still_answers_get_and_head(
    client, live_page, physician_user, publisher, path
):
    from reviews import workflow
    from tests.conftest import PASSWORD

    workflow.sign_off(live_page, physician_user, PASSWORD)
    workflow.publish(live_page, publisher)
    assert client.get(path).status_code == 200
    head = client.head(path)
    assert head.status_code == 200
    assert head.content == b""
