"""A public answer given again without the middleware stack and the view, only while the view
would give the same answer (tovani/replay.py): the page and the partner API's detail and list."""

import pytest
from django.utils import timezone

from conditions import views as condition_views
from partners.accounts import create_partner
from partners.models import Partner
from reviews import workflow
from tests.conftest import PASSWORD, edit, publish_page
from tests.test_api import clock_ahead

PAGE = "/conditions/test-condition/"
DETAIL = "/api/v1/conditions/test-condition/"
LIST = "/api/v1/conditions/"


@pytest.fixture
def replaying(settings):
    """Answers kept, as in production; the live pointer read on every request, so what the
    replay checks is the database's word."""
    settings.PAGE_MEMORY_CACHE_ENTRIES = 10
    settings.PAGE_POINTER_SECONDS = 0


@pytest.fixture
def page_views(monkeypatch):
    """How many times the condition page's view made an answer."""
    made = []
    real = condition_views.cached_page

    def counted(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(condition_views, "cached_page", counted)
    return made


def test_a_page_read_again_is_given_again_without_its_view(
    client, published, replaying, page_views
):
    first = client.get(PAGE)
    second = client.get(PAGE)
    assert first.status_code == second.status_code == 200
    assert len(page_views) == 1
    assert second.content == first.content
    for header in ("ETag", "Last-Modified", "Cache-Control", "Content-Security-Policy"):
        assert second[header] == first[header]
    assert "Surrogate-Key" in second
    assert "X-Frame-Options" in second
    # What differs per request is written per request.
    assert second["X-Request-ID"] != first["X-Request-ID"]


def test_a_withdrawn_page_is_never_given_again(client, published, replaying, publisher):
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE).status_code == 200
    workflow.unpublish(published, publisher, "Withdrawn.")
    assert client.get(PAGE).status_code == 404


def test_a_new_publication_is_answered_at_once(
    client, published, replaying, editor, physician_user, publisher, page_views
):
    client.get(PAGE), client.get(PAGE)
    with clock_ahead(seconds=2):
        edit(published, editor, title="A renamed condition")
        workflow.sign_off(published, physician_user, PASSWORD)
        workflow.publish(published, publisher)
    response = client.get(PAGE)
    assert "A renamed condition" in response.content.decode()
    assert len(page_views) == 2


def test_a_request_with_a_cookie_goes_through_the_whole_stack(
    client, published, replaying, page_views
):
    client.get(PAGE)
    client.cookies["tovani_staff"] = "1"
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE).status_code == 200
    assert len(page_views) == 3


def test_a_revalidation_is_answered_304_as_the_view_answers_it(
    client, published, replaying, page_views, settings
):
    settings.PAGE_MEMORY_CACHE_ENTRIES = 0
    etag = client.get(PAGE)["ETag"]
    by_the_view = client.get(PAGE, headers={"if-none-match": etag})
    settings.PAGE_MEMORY_CACHE_ENTRIES = 10
    client.get(PAGE)  # kept
    given_again = client.get(PAGE, headers={"if-none-match": f"W/{etag}"})
    assert by_the_view.status_code == given_again.status_code == 304
    assert given_again.content == b""
    assert sorted(given_again.headers) == sorted(by_the_view.headers)
    for header in ("ETag", "Last-Modified", "Cache-Control", "Surrogate-Key", "Content-Length"):
        assert given_again[header] == by_the_view[header]
    assert len(page_views) == 3


def test_a_stale_copy_is_sent_the_page_and_a_date_is_asked_of_the_view(
    client, published, replaying, page_views
):
    first = client.get(PAGE)
    client.get(PAGE)
    assert client.get(PAGE, headers={"if-none-match": '"an-old-copy"'}).content == first.content
    assert len(page_views) == 1
    since = first["Last-Modified"]
    assert client.get(PAGE, headers={"if-modified-since": since}).status_code == 304
    assert len(page_views) == 2


def test_no_answer_is_kept_when_the_process_keeps_none(client, published, settings, page_views):
    settings.PAGE_MEMORY_CACHE_ENTRIES = 0
    client.get(PAGE), client.get(PAGE)
    assert len(page_views) == 2


def test_the_api_detail_given_again_still_counts_each_request_against_the_rate_limit(
    client, published, replaying
):
    _, key = create_partner("Small", contact_email="a@small.example", rate_limit_per_minute=3)
    answers = [client.get(DETAIL, headers={"x-api-key": key}) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["RateLimit"].split(";")[1] for a in answers[:3]] == ["r=2", "r=1", "r=0"]
    assert answers[1].content == answers[0].content


def test_a_revoked_key_is_refused_even_after_its_answer_was_kept(
    client, published, replaying, settings
):
    settings.PARTNER_KEY_SECONDS = 0
    _, key = create_partner("Revoked", contact_email="r@example.org", rate_limit_per_minute=100)
    assert client.get(DETAIL, headers={"x-api-key": key}).status_code == 200
    assert client.get(DETAIL, headers={"x-api-key": key}).status_code == 200
    Partner.objects.update(revoked_at=timezone.now())
    assert client.get(DETAIL, headers={"x-api-key": key}).status_code == 401


def test_each_partner_gets_the_answer_kept_for_its_own_key(
    client, published, replaying, partner_key
):
    _, other = create_partner("Other", contact_email="o@example.org", rate_limit_per_minute=100)
    mine = client.get(DETAIL, headers={"x-api-key": partner_key})
    theirs = client.get(DETAIL, headers={"x-api-key": other})
    assert mine["RateLimit-Policy"] != theirs["RateLimit-Policy"]


def test_the_api_list_given_again_changes_with_the_next_publish(
    api, published, replaying, editor, physician_user, publisher
):
    def slugs():
        return [entry["slug"] for entry in api.get(LIST, {"page_size": 20}).json()["results"]]

    assert slugs() == slugs() == ["test-condition"]
    with clock_ahead(seconds=2):
        publish_page(editor, physician_user, publisher, "second")
    assert slugs() == ["test-condition", "second"]


def test_an_answer_asked_for_in_spanish_is_never_given_again(
    api, replaying, editor, physician_user, publisher
):
    """Asked in Spanish before a Spanish version is live, the detail is the English one; once
    the Spanish version is published the next ask gets it, though the English did not change."""
    from tests.translating import english_page, spanish_physician, translated_page, translator_user

    english = english_page(editor, physician_user, publisher)
    spanish_asked = {"accept-language": "es"}
    for _ in range(2):
        assert api.get(DETAIL, headers=spanish_asked)["Content-Language"] == "en"
    translation = translated_page(english, translator_user())
    workflow.sign_off(translation, spanish_physician(), PASSWORD)
    workflow.publish(translation, publisher)
    assert api.get(DETAIL, headers=spanish_asked)["Content-Language"] == "es"


def test_the_api_detail_revalidated_again_is_304_with_the_partners_standing(
    client, published, replaying
):
    _, key = create_partner("Sync", contact_email="s@example.org", rate_limit_per_minute=100)
    headers = {"x-api-key": key}
    etag = client.get(DETAIL, headers=headers)["ETag"]
    client.get(DETAIL, headers=headers)
    unchanged = client.get(DETAIL, headers={**headers, "if-none-match": etag})
    assert unchanged.status_code == 304
    assert unchanged["ETag"] == etag
    assert unchanged["RateLimit"].split(";")[1] == "r=97"
