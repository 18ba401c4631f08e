"""The API detail's short path: the usual request answered before DRF, exactly as DRF would,
and every other request left to DRF."""

import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from api import views
from partners.accounts import create_partner, revoke_key
from tests.library import publish_condition

DETAIL = "/api/v1/conditions/ocd/"


@pytest.fixture
def page(editor, physician_user, publisher):
    cache.clear()
    return publish_condition((editor, physician_user, publisher), "ocd", "OCD")


@pytest.fixture
def partner(db):
    return create_partner("Acme", rate_limit_per_minute=10_000)


def get(client, key, url=DETAIL, **headers):
    return client.get(url, headers={"x-api-key": key, **headers})


@pytest.fixture
def drf_calls(monkeypatch):
    calls = []
    dispatch = APIView.dispatch

    def counted(view, request, *args, **kwargs):
        calls.append(request.path)
        return dispatch(view, request, *args, **kwargs)

    monkeypatch.setattr(APIView, "dispatch", counted)
    return calls


def test_the_short_path_answers_what_drf_answers(client, page, partner, monkeypatch):
    """Same status, bytes and headers, whichever path answers."""
    short = get(client, partner[1])
    monkeypatch.setattr(views, "_stored_detail", lambda request, slug: None)
    through_drf = get(client, partner[1])
    assert short.status_code == through_drf.status_code == 200
    assert short.content == through_drf.content
    assert short.has_header("RateLimit")
    assert through_drf.has_header("RateLimit")
    ignored = {"Date", "X-Request-ID", "RateLimit"}  # one request fewer left the second time
    assert {k: v for k, v in short.items() if k not in ignored} == {
        k: v for k, v in through_drf.items() if k not in ignored
    }


def test_a_warm_detail_costs_no_query_and_no_drf(client, page, partner, drf_calls, settings):
    """With the key, the pointer and the answer remembered, nothing is asked of the database."""
    settings.PARTNER_KEY_SECONDS = settings.PAGE_POINTER_SECONDS = 60
    settings.PAGE_MEMORY_CACHE_ENTRIES = 100
    get(client, partner[1])
    with CaptureQueriesContext(connection) as queries:
        response = get(client, partner[1])
    assert response.status_code == 200
    assert response.json()["slug"] == "ocd"
    assert len(queries) == 0
    assert drf_calls == []


def test_a_revalidation_answers_304_on_the_short_path(client, page, partner, drf_calls):
    etag = get(client, partner[1])["ETag"]
    response = get(client, partner[1], if_none_match=etag)
    assert response.status_code == 304
    assert drf_calls == []


@pytest.mark.parametrize(
    ("url", "key", "status"),
    [
        (DETAIL, "tvk_000000000000" + "x" * 43, 401),
        ("/api/v1/conditions/no-such-page/", None, 404),
        (DETAIL + "?fields=title", None, 400),
    ],
)
def test_other_requests_go_through_drf(client, page, partner, drf_calls, url, key, status):
    """A wrong key, an unknown page or a query string: DRF answers, in the API's error shape."""
    response = get(client, key or partner[1], url)
    assert response.status_code == status
    assert "detail" in response.json()
    assert drf_calls == [url.split("?")[0]]


def test_a_revoked_key_is_refused_on_the_short_path_too(client, page, partner):
    get(client, partner[1])
    revoke_key(partner[0])
    assert get(client, partner[1]).status_code == 401


def test_a_refused_request_is_counted_once(client, page, db):
    """The short path makes the rate limit's decision; DRF answers the 429 without counting
    the request again."""
    small, key = create_partner("Small", rate_limit_per_minute=2)
    assert [get(client, key).status_code for _ in range(3)] == [200, 200, 429]
    window = int(time.time() // 60)
    assert cache.get(f"partners:rate:{small.pk}:{window}") == 3


class _ClosedForMaintenance(BaseThrottle):
    def allow_request(self, request, view):
        return False

    def wait(self):
        return 30


def test_the_short_path_runs_the_views_own_classes_in_drfs_order(
    client, page, partner, monkeypatch, drf_calls
):
    """A throttle added to the view's classes refuses on the usual request too: the short path
    composes the view's authentication, permission and throttle classes, not a copy of them."""
    assert get(client, partner[1]).status_code == 200
    monkeypatch.setattr(
        views.ConditionDetail,
        "throttle_classes",
        [*views.ConditionDetail.throttle_classes, _ClosedForMaintenance],
    )

    refused = get(client, partner[1])

    assert refused.status_code == 429
    assert refused["Retry-After"] == "30"
    assert drf_calls == [DETAIL], "DRF answered the refusal the short path found"


def test_a_wrong_key_is_counted_once_against_its_address(client, page, settings, db):
    """The short path's authentication outcome is the one DRF reuses: the key-guessing limit
    counts one failure per request."""
    settings.API_FAILED_KEY_LIMIT = 2
    assert [get(client, "not-a-key").status_code for _ in range(3)] == [401, 401, 429]
