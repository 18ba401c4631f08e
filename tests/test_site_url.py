"""The site's address: SITE_URL when set, else the address the current request came to.

Without either (a command in development) there is none, and no host is made up.
"""

from django.test import RequestFactory

from tovani.request_context import RequestContextMiddleware
from tovani.site_url import absolute_url, site_origin


def test_site_url_is_the_origin_whatever_the_request(settings, rf):
    settings.SITE_URL = "https://library.example"
    request = rf.get("/", headers={"host": "other.test"})
    assert site_origin(request) == "https://library.example"
    assert absolute_url("/conditions/", request) == "https://library.example/conditions/"


def test_without_site_url_the_request_passed_gives_the_origin(settings):
    settings.ALLOWED_HOSTS = ["review.test"]
    request = RequestFactory().get("/", headers={"host": "review.test:8123"}, secure=True)
    assert site_origin(request) == "https://review.test:8123"


def test_without_a_request_argument_the_request_being_answered_gives_the_origin(settings):
    """Code that has no request to pass (a workflow step) still links back to the right host."""
    settings.ALLOWED_HOSTS = ["review.test"]
    seen = []
    middleware = RequestContextMiddleware(lambda request: seen.append(absolute_url("/x/")) or {})
    middleware(RequestFactory().get("/", headers={"host": "review.test"}))
    assert seen == ["http://review.test/x/"]
    assert site_origin() == "", "the request is forgotten once answered"


def test_with_neither_there_is_no_origin_and_links_stay_paths(settings):
    assert site_origin() == ""
    assert absolute_url("/admin/") == "/admin/"
