"""The partner API: exactly the live publications, whole, cheaply and never a draft."""

import contextlib
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conditions.models import ClinicalCode, ConditionTreatment, SearchPhrase, Treatment
from reviews import clock, workflow
from reviews.models import LivePublication, Publication
from tests.conftest import PASSWORD, add_key_point, edit, make_condition, make_reference

DEMO = "/api/v1/conditions/treatment-resistant-ocd/"
LIST = "/api/v1/conditions/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def page(editor, physician_user, publisher):
    """Publishes a page made by the editor, with codes, treatments and search phrases."""

    def publish(slug, *, codes=(), treatments=(), phrases=(), **fields):
        fields.setdefault("title", slug.replace("-", " ").title())
        condition = make_condition(editor, slug=slug, **fields)
        for order, (system, code, *qualifier) in enumerate(codes, start=1):
            ClinicalCode.objects.create(
                condition=condition,
                system=system,
                code=code,
                sort_order=order,
                qualifier="".join(qualifier),
            )
        for treatment_slug, line, *description in treatments:
            add_treatment(condition, treatment_slug, line, *description)
        for phrase in phrases:
            SearchPhrase.objects.create(condition=condition, phrase=phrase)
        republish(condition, physician_user, publisher)
        return condition

    return publish


def add_treatment(condition, slug, line="first_line", description="Helps."):
    treatment, _ = Treatment.objects.get_or_create(
        slug=slug, defaults={"name": slug.replace("-", " ").title(), "kind": "medication"}
    )
    ConditionTreatment.objects.create(
        condition=condition, treatment=treatment, line_of_therapy=line, description=description
    )


def republish(condition, physician_user, publisher):
    workflow.sign_off(condition, physician_user, PASSWORD)
    workflow.publish(condition, publisher)


@contextlib.contextmanager
def clock_ahead(seconds):
    """Run the workflow a little later: HTTP dates count whole seconds."""
    with clock.frozen_at(timezone.now() + timedelta(seconds=seconds)):
        yield


def slugs(response):
    return [entry["slug"] for entry in response.json()["results"]]


# The whole page


def test_the_demo_page_comes_whole_with_its_references_and_review_block(api, demo):
    """The published OCD document: three references with their PMIDs and the sign-off."""
    body = api.get(DEMO).json()
    assert body["title"] == "Treatment-Resistant OCD"
    assert [ref["pmid"] for ref in body["references"]] == ["23783065", "28121735", "28384832"]
    assert body["references"][0]["formatted"].startswith("Rodriguez CI, Kegeles LS, Levinson A")
    assert body["review"]["stamp"] == "Last reviewed by Dr. Ben Soffer, DO on June 2, 2026."
    assert body["review"]["physician"] == {
        "name": "Ben Soffer",
        "credentials": "DO",
        "signature": "Dr. Ben Soffer, DO",
    }
    assert body["review"]["date"] == "2026-06-02"
    assert body["digest"] == Publication.objects.live().get().digest


def test_every_section_comes_as_html_and_as_plain_text(api, demo):
    """Sections, key points, comparisons, treatments and FAQs each carry html and text."""
    body = api.get(DEMO).json()
    parts = [
        body["clinical_definition"],
        body["standard_treatments_fail"],
        body["ketamine_fit"],
        body["clinic_fit"],
        *body["key_points"],
        *body["comparisons"],
        *body["faqs"],
        *(t for group in body["treatment_groups"] for t in group["treatments"]),
    ]
    assert all(part["html"].startswith("<") and part["text"] for part in parts)
    assert all("<" not in part["text"] for part in parts)
    assert body["clinic_fit"]["status"] == "not_indicated"


def test_key_points_carry_citation_numbers_and_treatments_their_line(api, demo):
    """Citations are reference numbers; each treatment names its line of therapy."""
    body = api.get(DEMO).json()
    cited = {n for point in body["key_points"] for n in point["citations"]}
    assert cited
    assert cited <= {ref["number"] for ref in body["references"]}
    lines = {t["slug"]: t["line"] for g in body["treatment_groups"] for t in g["treatments"]}
    assert lines["exposure-response-prevention"] == "first_line"


def test_html_passes_the_sanitizer_again_on_the_way_out(api, published, publisher):
    """Even a stored document with unsafe HTML reaches partners sanitized."""
    live = Publication.objects.live().get()
    unsafe = {
        "html": '<p>ok</p><script>alert(1)</script><a href="javascript:x()">x</a>',
        "text": "ok",
    }
    forged = Publication.objects.create(
        content_type=live.content_type,
        object_id=live.object_id,
        slug=live.slug,
        title=live.title,
        digest="0" * 64,
        document={**live.document, "clinical_definition": unsafe},
        sign_off=live.sign_off,
        published_at=timezone.now(),
        published_by=publisher,
    )
    LivePublication.objects.filter(publication=live).update(publication=forged)
    html = api.get("/api/v1/conditions/test-condition/").json()["clinical_definition"]["html"]
    assert "<p>ok</p>" in html
    assert "script" not in html
    assert "javascript" not in html


def test_an_unknown_slug_answers_a_json_404(api, db):
    """No page there: 404 with a JSON error."""
    response = api.get("/api/v1/conditions/no-such-page/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_an_address_outside_the_endpoints_answers_a_json_404(api):
    """Anything else under /api/ is a JSON 404 (a problem), not the site's HTML page."""
    response = api.get("/api/v1/nothing/here/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


# The list and its filters


def test_the_list_shows_each_live_page_with_codes_status_and_last_review(api, page):
    """Slug, title, public URL, codes, summary, status, last review, published at, digest."""
    page("panic-disorder", summary="Sudden surges of fear.", codes=[("ICD-11", "6B01")])
    entry = api.get(LIST).json()["results"][0]
    assert entry["slug"] == "panic-disorder"
    assert entry["title"] == "Panic Disorder"
    assert entry["url"] == "http://testserver/conditions/panic-disorder/"
    assert entry["api_url"] == "http://testserver/api/v1/conditions/panic-disorder/"
    assert entry["codes"] == [
        {"system": "ICD-11", "code": "6B01", "qualifier": "", "lookup_only": False}
    ]
    assert entry["summary"] == "Sudden surges of fear."
    assert entry["clinic_indication"] == {"status": "case_by_case", "label": "Case by case"}
    assert entry["last_reviewed"]["physician"]["signature"] == "Dr. Gregory House, MD"
    assert entry["digest"] == Publication.objects.live().get().digest


@pytest.mark.parametrize(
    ("code", "found"),
    [
        ("ICD-11:6B20", True),
        ("DSM-5:300.3", True),
        ("ICD-11:6b20", True),
        ("ICD-11:6B2", False),
        ("ICD-11:6B20.0", False),
        ("DSM-5:6B20", False),
        ("ICD-10-CM:F42.2", False),
    ],
)
def test_the_code_filter_matches_a_system_and_code_exactly(api, page, code, found):
    """ICD-11:6B20 finds the page coded 6B20 (refractory), not a prefix or another system."""
    page("ocd", codes=[("DSM-5", "300.3"), ("ICD-11", "6B20", "refractory")])
    page("ocd-variant", codes=[("ICD-11", "6B20.0")])
    assert ("ocd" in slugs(api.get(LIST, {"code": code}))) is found


def test_the_text_search_finds_words_in_title_summary_and_search_phrases(api, page):
    """Every word must appear somewhere in the title, summary, codes or search phrases."""
    page("ocd", title="Obsessive-Compulsive Disorder", phrases=["ketamine for OCD"])
    page("panic", summary="Sudden surges of fear.")
    assert slugs(api.get(LIST, {"q": "KETAMINE obsessive"})) == ["ocd"]
    assert slugs(api.get(LIST, {"q": "surges"})) == ["panic"]
    assert slugs(api.get(LIST, {"q": "ketamine surges"})) == []


def test_the_status_filter_selects_the_clinic_indication(api, page):
    """status=established lists only pages whose clinic indication is established."""
    page("depression", clinic_indication_status="established")
    page("ocd", clinic_indication_status="not_indicated")
    assert slugs(api.get(LIST, {"status": "established"})) == ["depression"]


def test_updated_since_lists_only_pages_published_at_or_after_it(api, page):
    """A sync from a moment sees the pages published from then on."""
    page("older")
    since = timezone.now()
    page("newer")
    assert slugs(api.get(LIST, {"updated_since": since.isoformat()})) == ["newer"]
    assert slugs(api.get(LIST)) == ["older", "newer"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("updated_since", "last tuesday"),
        ("code", "6B20"),
        ("code", "SNOMED:123"),
        ("status", "maybe"),
        ("q", "x" * 201),
        ("q", ""),
        ("updated_since", ""),
        ("page_size", "0"),
        ("page_size", "101"),
        ("update_since", "2026-01-01"),
    ],
)
def test_an_invalid_filter_answers_400_naming_the_parameter(api, db, name, value):
    """A bad, blank or unknown parameter is a 400 whose JSON names it, never ignored."""
    response = api.get(LIST, {name: value})
    assert response.status_code == 400
    assert list(response.json()["parameters"]) == [name]


def _cursor(position: str) -> str:
    from base64 import b64encode

    return b64encode(f"p={position}".encode()).decode()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("page_size", "²"),
        ("page_size", "٣"),
        ("page_size", "1e3"),
        ("page_size", " 5"),
        ("cursor", _cursor("2024-13-45 00:00:00")),
        ("cursor", _cursor("2024-02-30 12:00:00+00:00")),
        ("cursor", _cursor("2024-02-30")),
        ("updated_since", "2024-13-45"),
        ("updated_since", "2024-02-30T00:00:00Z"),
        ("updated_since", "99999-01-01"),
    ],
)
def test_crafted_paging_and_dates_answer_a_json_400_naming_the_parameter(api, db, name, value):
    """Digits int() reads differently, impossible dates, foreign cursors: 400, never a 500."""
    response = api.get(LIST, {name: value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "invalid"
    assert list(response.json()["parameters"]) == [name]


def test_q_searches_text_not_the_json_around_it(api, page):
    """q=[ or q=": match no page: the filter reads words, not the stored JSON's syntax."""
    page("anxiety", summary="Worry most days.")
    for crafted in ["[", '"', "{", ":", "slug"]:
        assert slugs(api.get(LIST, {"q": crafted})) == [], crafted
    assert slugs(api.get(LIST, {"q": "worry"})) == ["anxiety"]


# Pagination


def walk(api, url, params):
    seen, pages = [], 0
    response = api.get(url, params)
    while True:
        pages += 1
        seen += slugs(response)
        if not response.json()["next"]:
            return seen, pages
        response = api.get(response.json()["next"])


def test_the_cursor_walks_every_page_once_in_published_order(api, page):
    """With two pages a request, five live pages take three requests, oldest first."""
    for number in range(5):
        page(f"page-{number}")
    seen, pages = walk(api, LIST, {"page_size": 2})
    assert seen == [f"page-{number}" for number in range(5)]
    assert pages == 3


def test_a_walk_survives_pages_changing_under_it(api, page, physician_user, publisher, editor):
    """Withdrawing, republishing and publishing during a sync neither repeats nor skips.

    A page republished meanwhile comes again at the end, with its new digest.
    """
    pages = [page(f"page-{number}") for number in range(4)]
    first = api.get(LIST, {"page_size": 2})
    assert slugs(first) == ["page-0", "page-1"]
    workflow.unpublish(pages[0], publisher, "Withdrawn for revision.")
    edit(pages[1], editor, summary="Revised.")
    republish(pages[1], physician_user, publisher)
    page("page-4")
    rest, _ = walk(api, first.json()["next"], {})
    assert rest == ["page-2", "page-3", "page-1", "page-4"]


def test_an_invalid_cursor_answers_a_json_400_naming_the_cursor(api, db):
    """A cursor the API did not make is refused as a bad parameter."""
    response = api.get(LIST, {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "cursor" in response.json()["parameters"]


# HTTP caching


def test_a_detail_carries_the_digest_as_etag_and_a_repeat_answers_304(api, demo):
    """ETag names the digest; If-None-Match with it answers 304 with no body."""
    response = api.get(DEMO)
    digest = response.json()["digest"]
    assert digest in response["ETag"]
    assert response["Last-Modified"]
    assert "max-age" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    again = api.get(DEMO, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == response["ETag"]


def test_if_modified_since_answers_304_until_the_page_is_republished(
    api, published, editor, physician_user, publisher
):
    """The detail's Last-Modified is its publication time."""
    url = "/api/v1/conditions/test-condition/"
    stamp = api.get(url)["Last-Modified"]
    assert api.get(url, headers={"if-modified-since": stamp}).status_code == 304
    edit(published, editor, summary="Revised.")
    with clock_ahead(seconds=2):
        republish(published, physician_user, publisher)
    assert api.get(url, headers={"if-modified-since": stamp}).status_code == 200


def test_a_list_etag_is_a_hash_of_the_answer_and_changes_when_a_page_is_withdrawn(
    api, page, publisher
):
    """Same list, same ETag and 304; unpublish a page and the ETag and Last-Modified move."""
    page("kept")
    gone = page("gone")
    first = api.get(LIST)
    assert api.get(LIST, headers={"if-none-match": first["ETag"]}).status_code == 304
    with clock_ahead(seconds=2):
        workflow.unpublish(gone, publisher, "Out of date.")
    second = api.get(LIST, headers={"if-none-match": first["ETag"]})
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert second["Last-Modified"] != first["Last-Modified"]
    assert api.get(LIST, headers={"if-modified-since": first["Last-Modified"]}).status_code == 200


# No draft leaks


def test_an_edited_draft_does_not_reach_the_api(api, published, editor):
    """After publishing, an edit to the draft leaves the API on the signed document."""
    edit(published, editor, summary="Unreviewed claim that must not be shown.")
    detail = api.get("/api/v1/conditions/test-condition/").json()
    listed = api.get(LIST).json()["results"][0]
    assert detail["summary"] == listed["summary"] == "A page used by the tests."


def test_a_sign_off_without_publishing_does_not_reach_the_api(
    api, published, editor, physician_user
):
    """An approved but unpublished version stays off the API until it is published."""
    before = api.get("/api/v1/conditions/test-condition/").json()
    edit(published, editor, summary="Approved, not yet published.")
    workflow.sign_off(published, physician_user, PASSWORD)
    after = api.get("/api/v1/conditions/test-condition/").json()
    assert after == before
    assert "not yet published" not in str(api.get(LIST).json())


def test_an_unpublished_page_is_gone_from_detail_list_and_treatments(api, page, publisher):
    """Unpublishing answers 404 for the page and drops it from every list."""
    condition = page("ocd", treatments=[("erp", "first_line")])
    workflow.unpublish(condition, publisher, "Withdrawn for revision.")
    assert api.get("/api/v1/conditions/ocd/").status_code == 404
    assert slugs(api.get(LIST)) == []
    assert api.get("/api/v1/treatments/").json()["results"] == []
    assert api.get("/api/v1/treatments/erp/").status_code == 404


def test_a_page_never_published_is_nowhere_in_the_api(api, editor):
    """A draft, even with treatments, has no API presence."""
    condition = make_condition(editor, slug="draft-only")
    add_treatment(condition, "erp")
    assert api.get("/api/v1/conditions/draft-only/").status_code == 404
    assert slugs(api.get(LIST)) == []
    assert api.get("/api/v1/treatments/").json()["count"] == 0


# Treatments


def test_treatments_are_those_of_live_pages_with_the_pages_that_use_them(api, page, editor):
    """Each treatment lists the live conditions using it, with their line of therapy."""
    page("ocd", title="OCD", treatments=[("erp", "first_line"), ("ketamine", "investigational")])
    page("depression", title="Depression", treatments=[("ketamine", "escalation")])
    add_treatment(make_condition(editor, slug="draft"), "draft-only-treatment")
    body = api.get("/api/v1/treatments/").json()
    assert [t["slug"] for t in body["results"]] == ["erp", "ketamine"]
    ketamine = body["results"][1]
    assert [(c["slug"], c["line"]) for c in ketamine["conditions"]] == [
        ("depression", "escalation"),
        ("ocd", "investigational"),
    ]
    assert ketamine["api_url"] == "http://testserver/api/v1/treatments/ketamine/"


def test_a_treatment_detail_gives_what_it_means_for_each_condition(api, page, reference):
    """The detail adds each condition's description, as sanitized HTML and text."""
    page("ocd", title="OCD", treatments=[("erp", "first_line", "Helps [@rodriguez2013].")])
    body = api.get("/api/v1/treatments/erp/").json()
    use = body["conditions"][0]
    assert use["url"] == "http://testserver/conditions/ocd/"
    assert use["description"]["text"] == "Helps [1]."
    assert 'href="#ref-1"' in use["description"]["html"]


def test_an_unknown_treatment_answers_404(api, db):
    """A treatment no live page uses is not found."""
    assert api.get("/api/v1/treatments/unknown/").status_code == 404


# Speed


def count_queries(api, url, params=None):
    api.get(url, params)  # warm the process: content types are looked up once per process
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("reference_count", [3, 60])
def test_a_detail_costs_at_most_three_queries_whatever_its_size(
    api, editor, physician_user, publisher, reference_count
):
    """Key check, live publication, document; 60 references cost no more than 3."""
    condition = make_condition(editor, slug="big-page")
    for number in range(reference_count):
        make_reference(f"ref{number}", pmid=str(1000 + number))
        add_key_point(condition, f"Point {number} [@ref{number}].", order=number)
    republish(condition, physician_user, publisher)
    assert count_queries(api, "/api/v1/conditions/big-page/") <= 3
    response = api.get("/api/v1/conditions/big-page/")
    assert len(response.json()["references"]) == reference_count


def test_a_detail_costs_the_live_lookup_alone_with_the_key_remembered(api, published, settings):
    """The JSON stored at publish comes with the live lookup: one query; the key, none."""
    settings.PARTNER_KEY_SECONDS = 60
    api.get("/api/v1/conditions/test-condition/")
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/conditions/test-condition/")
    assert response.status_code == 200
    assert len(queries) == 1


def test_a_detail_read_again_soon_costs_no_query(api, published, settings):
    """Within PAGE_POINTER_SECONDS the live pointer and the JSON come from process memory."""
    settings.PARTNER_KEY_SECONDS = 60
    settings.PAGE_POINTER_SECONDS = 60
    settings.PAGE_MEMORY_CACHE_ENTRIES = 10
    api.get("/api/v1/conditions/test-condition/")
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/conditions/test-condition/")
    assert response.json()["slug"] == "test-condition"
    assert len(queries) == 0


def test_the_list_costs_the_same_few_queries_for_3_or_30_pages(api, page):
    """Key check, the page of publications, the last change: constant in the page count."""
    for number in range(3):
        page(f"small-{number}")
    small = count_queries(api, LIST)
    for number in range(27):
        page(f"large-{number}")
    large = count_queries(api, LIST)
    assert small == large <= 3
    assert len(api.get(LIST).json()["results"]) == 30


def test_a_list_read_again_before_any_publish_costs_no_query(api, page, settings, publisher):
    """A process keeps each list answer under the library's stamp: the next publish or
    unpublish (within PAGE_POINTER_SECONDS) gives a fresh one."""
    settings.PARTNER_KEY_SECONDS = 60
    settings.PAGE_POINTER_SECONDS = 60
    settings.PAGE_MEMORY_CACHE_ENTRIES = 10
    first = page("first")
    page("second")
    assert slugs(api.get(LIST, {"page_size": 20})) == ["first", "second"]
    with CaptureQueriesContext(connection) as queries:
        again = api.get(LIST, {"page_size": 20})
    assert slugs(again) == ["first", "second"]
    assert len(queries) == 0
    workflow.unpublish(first, publisher, "Withdrawn.")
    from publishing.pointers import recent_pointers

    recent_pointers.clear()  # as PAGE_POINTER_SECONDS passing would
    assert slugs(api.get(LIST, {"page_size": 20})) == ["second"]


def test_an_address_with_control_characters_answers_a_json_404(api):
    """Even a path with a newline in it gets the API's JSON 404."""
    response = api.get("/api/v1/conditions/%0Aocd/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_the_api_answers_json_whatever_accept_asks_for(api, demo):
    """A browser's Accept: text/html still gets the JSON answer, not a 406."""
    response = api.get(DEMO, HTTP_ACCEPT="text/html,application/xhtml+xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    missing = api.get("/api/v1/conditions/no-such-page/", HTTP_ACCEPT="text/html")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"
