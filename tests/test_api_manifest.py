"""The manifest: every live page in one answer, for a partner to reconcile its copy.

Read from the read model and the publication records, never a draft; a constant number of
queries whatever the size of the library; its ETag and Last-Modified move with every publish and
unpublish.
"""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from publishing.pointers import recent_pointers
from reviews import workflow
from reviews.models import Publication
from tests.conftest import _forget_process_memory, answer_json, edit
from tests.test_api import clock_ahead, republish
from tests.test_api import page as page  # noqa: F401 - the fixture, by its name

MANIFEST = "/api/v1/manifest/"


def entries(response) -> dict:
    return {entry["slug"]: entry for entry in answer_json(response)["results"]}


def test_each_live_page_comes_with_its_publication_dates_and_review(api, page, settings):
    """Slug, title, addresses, digest, the live publication, first and last published, the
    sign-off (date and signature line) and the day the next review is due."""
    page("panic-disorder")
    live = Publication.objects.live().get()
    signed_at = timezone.localtime(live.sign_off.signed_at)
    entry = entries(api.get(MANIFEST))["panic-disorder"]
    assert entry == {
        **entry,
        "slug": "panic-disorder",
        "title": "Panic Disorder",
        "url": "http://testserver/conditions/panic-disorder/",
        "api_url": "http://testserver/api/v1/conditions/panic-disorder/",
        "digest": live.digest,
        "publication_id": live.pk,
        "next_review_due": str((signed_at + timedelta(days=settings.REVIEW_INTERVAL_DAYS)).date()),
    }
    assert parse_datetime(entry["first_published"]) == live.published_at
    assert parse_datetime(entry["last_published"]) == live.published_at
    assert entry["last_reviewed"]["date"] == str(signed_at.date())
    assert parse_datetime(entry["last_reviewed"]["reviewed_at"]) == signed_at
    assert entry["last_reviewed"]["physician"] == {
        "name": "Gregory House",
        "credentials": "MD",
        "signature": "Dr. Gregory House, MD",
    }


def test_a_republished_page_keeps_its_first_publication_date_and_gets_a_new_id(
    api, page, editor, physician_user, publisher
):
    """first_published stays; last_published, digest and publication_id follow the new one."""
    condition = page("anxiety")
    before = entries(api.get(MANIFEST))["anxiety"]
    edit(condition, editor, summary="Revised.")
    with clock_ahead(seconds=2):
        republish(condition, physician_user, publisher)
    after = entries(api.get(MANIFEST))["anxiety"]
    assert after["first_published"] == before["first_published"]
    assert parse_datetime(after["last_published"]) > parse_datetime(before["last_published"])
    assert after["digest"] != before["digest"]
    assert (
        after["publication_id"] == Publication.objects.live().get().pk != before["publication_id"]
    )


def test_pages_come_by_slug_and_an_unpublished_page_leaves(api, page, publisher):
    """Only live pages, ordered by slug; count says how many."""
    page("zeta")
    gone = page("alpha")
    page("mid")
    assert list(entries(api.get(MANIFEST))) == ["alpha", "mid", "zeta"]
    workflow.unpublish(gone, publisher, "Withdrawn.")
    answer = answer_json(api.get(MANIFEST))
    assert [entry["slug"] for entry in answer["results"]] == ["mid", "zeta"]
    assert answer["count"] == 2


def test_an_edited_draft_does_not_reach_the_manifest(api, page, editor):
    """The draft's title changes; the manifest keeps the published one."""
    condition = page("ocd", title="Obsessive-Compulsive Disorder")
    edit(condition, editor, title="Unreviewed title")
    assert entries(api.get(MANIFEST))["ocd"]["title"] == "Obsessive-Compulsive Disorder"


def test_the_manifest_needs_a_partner_key(client, page):
    page("ocd")
    response = client.get(MANIFEST)
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


@pytest.fixture
def process_memory(settings):
    """Keys, the library's stamp and answers remembered by the process, as in production."""
    settings.PARTNER_KEY_SECONDS = 60
    settings.PAGE_POINTER_SECONDS = 60
    settings.PAGE_MEMORY_CACHE_ENTRIES = 10


def measured_queries(api, django_assert_num_queries, count):
    """The manifest read afresh: no key, stamp or answer remembered by the process."""
    _forget_process_memory()
    with django_assert_num_queries(count):
        response = api.get(MANIFEST)
        assert response.status_code == 200
        assert answer_json(response)["results"]


# The partner's key, the library's stamp, the translations' stamp, and the entries.
QUERIES = 4


def test_the_manifest_costs_the_same_queries_for_one_page_or_several(
    api, page, process_memory, django_assert_num_queries
):
    """However many pages are live, a fresh manifest is four queries."""
    page("one")
    measured_queries(api, django_assert_num_queries, QUERIES)
    for number in range(4):
        page(f"more-{number}")
    measured_queries(api, django_assert_num_queries, QUERIES)
    assert answer_json(api.get(MANIFEST))["count"] == 5


def test_a_manifest_revalidated_before_any_publish_costs_no_query(
    api, page, process_memory, publisher, django_assert_num_queries
):
    """Its ETag is made of the stamps the process remembers, so a revalidation reads nothing;
    an unpublish (once the stamp is read again, within PAGE_POINTER_SECONDS) moves it."""
    first = page("first")
    page("second")
    etag = api.get(MANIFEST)["ETag"]
    with django_assert_num_queries(0):
        assert api.get(MANIFEST, headers={"if-none-match": etag}).status_code == 304
    workflow.unpublish(first, publisher, "Withdrawn.")
    recent_pointers.clear()  # as PAGE_POINTER_SECONDS passing would
    again = api.get(MANIFEST, headers={"if-none-match": etag})
    assert again.status_code == 200
    assert list(entries(again)) == ["second"]


def test_a_manifest_read_again_reads_the_entries_again_and_no_process_keeps_it(
    api, page, process_memory, django_assert_num_queries, monkeypatch
):
    """The whole library's answer is never held: nothing the manifest makes is remembered,
    and each read is one query for the entries (the stamps and the key are remembered)."""
    from publishing.page_cache import memory_pages

    page("first")
    page("second")
    remembered = []
    remember = memory_pages.set
    monkeypatch.setattr(
        memory_pages, "set", lambda key, value: remembered.append(value) or remember(key, value)
    )
    body = b"".join(api.get(MANIFEST).streaming_content)
    with django_assert_num_queries(1):
        assert b"".join(api.get(MANIFEST).streaming_content) == body
    assert not [value for value in remembered if b'"slug":"first"' in _bytes(value)]


def _bytes(value) -> bytes:
    return value if isinstance(value, bytes) else repr(value).encode()


def test_the_manifest_is_streamed_a_batch_at_a_time(api, page, monkeypatch):
    """A StreamingHttpResponse: its first entries are sent before the later ones are made."""
    from django.http import StreamingHttpResponse

    from api import manifest

    monkeypatch.setattr(manifest, "BATCH", 2)
    for slug in ("a", "b", "c", "d", "e"):
        page(slug)
    response = api.get(MANIFEST)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "application/json"
    chunks = iter(response.streaming_content)
    assert next(chunks) == b'{"count":5,"results":['
    first = next(chunks)
    assert first.count(b'"slug":') == 2
    rest = b"".join(chunks)
    assert json.loads(b'{"count":5,"results":[' + first + rest)["count"] == 5


def test_the_streamed_body_is_the_serializers_answer_byte_for_byte(api, page):
    """What the manifest was when the serializer made it whole: the same bytes."""
    from rest_framework.renderers import JSONRenderer

    from api.representations import Links, manifest_entry
    from api.serializers import ManifestSerializer

    for slug in ("zeta", "alpha"):
        page(slug)
    links = Links("http://testserver")
    current = {
        "status": "current",
        "reasons": [],
        "reviewed_through": None,
        "reviewed_through_source": "editor",
    }
    results = [
        {**manifest_entry(publication, links), "evidence": current}
        for publication in Publication.objects.live().select_related("sign_off").order_by("slug")
    ]
    whole = JSONRenderer().render(ManifestSerializer({"count": 2, "results": results}).data)
    assert b"".join(api.get(MANIFEST).streaming_content) == whole


def test_a_repeat_answers_304_until_a_page_is_published_or_unpublished(api, page, publisher):
    """ETag and Last-Modified follow the library's stamp: both move on publish and unpublish."""
    first_page = page("first")
    first = api.get(MANIFEST)
    assert first["ETag"]
    assert "private" in first["Cache-Control"]
    assert api.get(MANIFEST, headers={"if-none-match": first["ETag"]}).status_code == 304
    with clock_ahead(seconds=2):
        page("second")
    second = api.get(MANIFEST, headers={"if-none-match": first["ETag"]})
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert second["Last-Modified"] != first["Last-Modified"]
    assert api.get(MANIFEST, headers={"if-none-match": second["ETag"]}).status_code == 304
    with clock_ahead(seconds=4):
        workflow.unpublish(first_page, publisher, "Withdrawn.")
    third = api.get(MANIFEST, headers={"if-none-match": second["ETag"]})
    assert third.status_code == 200
    assert list(entries(third)) == ["second"]


@pytest.mark.parametrize("parameter", ["page_size", "updated_since"])
def test_the_manifest_takes_no_parameters(api, page, parameter):
    """It is the whole live library at once: a parameter is a 400, not a quiet filter."""
    response = api.get(MANIFEST, {parameter: "1"})
    assert response.status_code == 400
    assert list(response.json()["parameters"]) == [parameter]


def test_a_page_whose_manifest_entry_was_never_stored_gets_it_on_first_read(api, page):
    """As after a deploy that changes the entry's version: made from the publication, stored,
    and the answer the same."""
    from publishing.models import PageRendering

    page("ocd")
    body = b"".join(api.get(MANIFEST).streaming_content)
    stored = PageRendering.objects.filter(template="api/manifest-entry.json")
    stored.delete()
    assert b"".join(api.get(MANIFEST).streaming_content) == body
    assert stored.count() == 1


def test_a_head_request_reads_no_entry(api, page, process_memory, django_assert_num_queries):
    """HEAD gives the GET's validators without reading the library."""
    page("ocd")
    etag = api.get(MANIFEST)["ETag"]
    with django_assert_num_queries(0):
        response = api.head(MANIFEST)
        assert b"".join(response.streaming_content) == b""
    assert response.status_code == 200
    assert response["ETag"] == etag
