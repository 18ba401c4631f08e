"""Code lookup: the live pages for a clinical code, as partners' systems and EHRs ask for them."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conditions.models import ClinicalCode
from reviews import workflow
from tests.conftest import edit
from tests.library import publish_condition

LOOKUP = "/api/v1/lookup/"
DEMO_SLUG = "treatment-resistant-ocd"
ICD10CM_OID = "2.16.840.1.113883.6.90"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def people(editor, physician_user, publisher):
    return editor, physician_user, publisher


def slugs(response):
    assert response.status_code == 200, response.content
    return [result["slug"] for result in response.json()["results"]]


# The API's own flat JSON, asked for in the Infobutton form.
FLAT = {"knowledgeResponseType": "application/json", "shape": "flat"}


def infobutton(code, oid=ICD10CM_OID, **context):
    return {"mainSearchCriteria.v.c": code, "mainSearchCriteria.v.cs": oid, **context}


# The demo page: DSM-5 300.3, ICD-11 6B20 (refractory), and ICD-10-CM F42.2 for lookup only


@pytest.mark.parametrize(
    "params",
    [
        {"system": "ICD-11", "code": "6B20"},
        {"system": "ICD-10-CM", "code": "F42.2"},
        {"system": "ICD-10-CM", "code": "F42"},
        {"system": "ICD-10-CM", "code": "f422"},
        {"system": "ICD-9-CM", "code": "300.3"},
        {"system": "DSM-5", "code": "300.3"},
        infobutton("F42.2", **FLAT),
        infobutton("300.3", "2.16.840.1.113883.6.103", **FLAT),
    ],
)
def test_the_demo_page_is_found_by_each_of_its_codes_and_their_forms(api, demo, params):
    """ICD-11 6B20, the lookup-only F42.2, its category F42, DSM-5's 300.3 as ICD-9-CM, and the
    Infobutton form with the code system's OID all find the OCD page."""
    assert slugs(api.get(LOOKUP, params)) == [DEMO_SLUG]


def test_a_result_carries_the_page_its_review_and_attribution(api, demo):
    """Title, summary, URL, the signature line and reviewed date the detail has, a credit line."""
    body = api.get(LOOKUP, {"system": "ICD-10-CM", "code": "F42.2"}).json()
    assert (body["system"], body["code"], body["match"], body["count"]) == (
        "ICD-10-CM",
        "F42.2",
        "exact",
        1,
    )
    [result] = body["results"]
    detail = api.get(f"/api/v1/conditions/{DEMO_SLUG}/").json()
    assert result["title"] == detail["title"]
    assert result["summary"] == detail["summary"]
    assert result["url"] == detail["url"] == f"http://testserver/conditions/{DEMO_SLUG}/"
    for name in ("date", "reviewed_at", "physician", "stamp", "reviewer_url"):
        assert result["review"][name] == detail["review"][name]
    assert result["review"]["physician"]["signature"] == "Dr. Ben Soffer, DO"
    assert result["matched_codes"] == [
        {"system": "ICD-10-CM", "code": "F42.2", "lookup_only": True}
    ]
    assert result["attribution"]["site_name"] == "Tovani Clinical Library"
    assert result["attribution"]["url"] == result["url"]
    assert result["url"] in result["attribution"]["text"]


def test_the_lookup_only_code_is_not_on_the_page(client, demo):
    """The codes line stays "DSM-5 300.3 / ICD-11 6B20 (refractory)"; F42.2 is nowhere in the
    page's HTML, structured data included."""
    html = client.get(f"/conditions/{DEMO_SLUG}/").content.decode()
    assert re.findall(r'<p class="codes">(.*?)</p>', html) == [
        "DSM-5 300.3 / ICD-11 6B20 (refractory)"
    ]
    assert "F42.2" not in html


def test_the_api_detail_flags_the_lookup_only_code(api, demo):
    """The detail lists every code, each saying whether it is for lookup only."""
    detail = api.get(f"/api/v1/conditions/{DEMO_SLUG}/").json()
    assert [(c["code"], c["lookup_only"]) for c in detail["codes"]] == [
        ("300.3", False),
        ("6B20", False),
        ("F42.2", True),
    ]
    assert detail["codes_line"] == "DSM-5 300.3 / ICD-11 6B20 (refractory)"


# Falling back: exact, then within, then broader


@pytest.fixture
def family(people):
    """Pages coded F42 (category), F42.2 (subcategory) and F42.8 (a sibling)."""
    for slug, code in [("ocd-any", "F42"), ("ocd-mixed", "F42.2"), ("ocd-other", "F42.8")]:
        publish_condition(people, slug, slug.title(), codes=[("ICD-10-CM", code, "")])


@pytest.mark.parametrize(
    ("code", "match", "found"),
    [
        ("F42.2", "exact", ["ocd-mixed"]),
        ("F42", "exact", ["ocd-any"]),
        ("F42.21", "broader", ["ocd-mixed"]),
        ("F42.9", "broader", ["ocd-any"]),
    ],
)
def test_a_code_falls_back_only_when_nothing_nearer_is_live(api, family, code, match, found):
    """An exact match hides the broader page; F42.21 finds its nearest parent F42.2, not F42;
    a sibling (F42.8) never answers for F42.9."""
    body = api.get(LOOKUP, {"system": "ICD-10-CM", "code": code}).json()
    assert (body["match"], [r["slug"] for r in body["results"]]) == (match, found)


def test_a_category_finds_every_page_coded_within_it(api, people):
    """With no page coded F42 itself, F42 finds the pages of F42.2 and F42.8, by title."""
    publish_condition(people, "b-page", "B Page", codes=[("ICD-10-CM", "F42.8", "")])
    publish_condition(people, "a-page", "A Page", codes=[("ICD-10-CM", "F42.2", "")])
    body = api.get(LOOKUP, {"system": "ICD-10-CM", "code": "F42"}).json()
    assert (body["match"], slugs_of(body)) == ("narrower", ["a-page", "b-page"])


def slugs_of(body):
    return [result["slug"] for result in body["results"]]


def test_a_snomed_ct_code_matches_exactly(api, people):
    """SNOMED CT ids carry no hierarchy in their digits: no truncation, no prefix."""
    publish_condition(people, "ocd", "OCD", codes=[("SNOMED CT", "191736004", "")])
    assert slugs(api.get(LOOKUP, {"system": "SNOMED CT", "code": "191736004"})) == ["ocd"]
    assert slugs(api.get(LOOKUP, infobutton("191736004", "2.16.840.1.113883.6.96", **FLAT))) == [
        "ocd"
    ]
    assert slugs(api.get(LOOKUP, {"system": "SNOMED CT", "code": "1376001"})) == []


# Only what is live


def test_a_code_added_to_the_draft_is_not_found_until_published(api, people):
    """The read model holds the published document's codes, never the draft's."""
    editor, physician_user, publisher = people
    page = publish_condition(people, "panic", "Panic", codes=[("ICD-11", "6B01", "")])
    ClinicalCode.objects.create(condition=page, system="ICD-10-CM", code="F41.0", lookup_only=True)
    edit(page, editor, summary="Now with an ICD-10-CM code for lookup.")
    assert slugs(api.get(LOOKUP, {"system": "ICD-10-CM", "code": "F41.0"})) == []
    workflow.sign_off(page, physician_user, "correct horse battery staple")
    workflow.publish(page, publisher)
    assert slugs(api.get(LOOKUP, {"system": "ICD-10-CM", "code": "F41.0"})) == ["panic"]


def test_an_unpublished_page_disappears_from_lookup(api, demo, publisher):
    """Unpublishing takes the page's codes out with its entry."""
    params = {"system": "ICD-11", "code": "6B20"}
    assert slugs(api.get(LOOKUP, params)) == [DEMO_SLUG]
    workflow.unpublish(demo.condition, publisher, "Withdrawn for review.")
    cache.clear()
    assert slugs(api.get(LOOKUP, params)) == []


# Answers and errors


def test_an_unknown_code_is_an_empty_answer(api, demo):
    """A valid code no live page answers is 200 with no results, not a 404."""
    body = api.get(LOOKUP, {"system": "ICD-10-CM", "code": "J45.909"}).json()
    assert body == {
        "system": "ICD-10-CM",
        "code": "J45.909",
        "match": None,
        "count": 0,
        "results": [],
    }


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"system": "ICD-10-CM", "code": "6B20"}, "code"),
        ({"system": "ICD-11", "code": "F42.2"}, "code"),
        ({"system": "SNOMED CT", "code": "191736005"}, "code"),
        ({"system": "ICD-12", "code": "F42.2"}, "system"),
        ({"system": "ICD-10-CM"}, "code"),
        ({"code": "F42.2"}, "system"),
        ({}, "code"),
        (infobutton("F4?"), "mainSearchCriteria.v.c"),
        (infobutton("F42.2", "2.16.840.1.113883.6.1"), "mainSearchCriteria.v.cs"),
        ({"mainSearchCriteria.v.c": "F42.2"}, "mainSearchCriteria.v.cs"),
        ({**infobutton("F42.2"), "knowledgeResponseType": "text/html"}, "knowledgeResponseType"),
        ({"system": "ICD-10-CM", "code": "F42.2", "cod": "F42"}, "cod"),
    ],
)
def test_a_malformed_request_answers_a_json_400_naming_the_parameter(api, db, params, parameter):
    """A code its system cannot have, an unknown system or OID, a missing half, a misspelt name."""
    response = api.get(LOOKUP, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["parameters"]) == [parameter]


def test_infobutton_context_parameters_are_accepted_and_ignored(api, demo):
    """An EHR sends the patient, the task and the recipient along: none of them is a 400."""
    params = infobutton(
        "F42.2",
        **{
            "mainSearchCriteria.v.dn": "Mixed obsessional thoughts and acts",
            "mainSearchCriteria.v.ot": "OCD",
            "taskContext.c.c": "PROBLISTREV",
            "patientPerson.administrativeGenderCode.c": "F",
            "age.v.v": "34",
            "age.v.u": "a",
            "informationRecipient": "PAT",
            "informationRecipient.languageCode.c": "en",
            "performer": "PROV",
            "encounter.c.c": "AMB",
            **FLAT,
        },
    )
    assert slugs(api.get(LOOKUP, params)) == [DEMO_SLUG]


@pytest.mark.parametrize("response_type", ["text/xml", "application/atom+xml"])
def test_the_atom_answer_is_a_feed_with_an_entry_a_page(api, demo, response_type):
    """As MedlinePlus Connect answers: Atom, each page an entry with its link and a plain-text
    summary; served as the media type asked for."""
    response = api.get(LOOKUP, infobutton("F42.2", knowledgeResponseType=response_type))
    assert response.status_code == 200
    assert response["Content-Type"] == f"{response_type}; charset=utf-8"
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Treatment-Resistant OCD"
    link = entry.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/conditions/{DEMO_SLUG}/"
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text.startswith("OCD that hasn't responded to SSRIs")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Dr. Ben Soffer, DO"


def test_an_unknown_code_is_an_empty_feed(api, demo):
    """No entries, still a valid feed, and the same bytes (ETag) when asked again."""
    params = infobutton("J45.909", knowledgeResponseType="text/xml")
    first = api.get(LOOKUP, params)
    feed = ET.fromstring(first.content)
    assert feed.findall(f"{ATOM}entry") == []
    assert api.get(LOOKUP, params)["ETag"] == first["ETag"]


def test_an_answer_has_validators_and_a_repeat_answers_304(api, demo):
    """ETag a hash of the answer, Last-Modified the last publish, private caching per key."""
    params = {"system": "ICD-11", "code": "6B20"}
    first = api.get(LOOKUP, params)
    assert first["ETag"].startswith('"')
    assert first["Last-Modified"]
    assert "private" in first["Cache-Control"]
    again = api.get(LOOKUP, params, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def count_queries(api, params):
    api.get(LOOKUP, params)  # warm the process: content types are looked up once per process
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = api.get(LOOKUP, params)
    assert response.status_code == 200
    return len(queries), response.json()["count"]


def test_a_lookup_costs_the_same_few_queries_for_one_page_or_many(api, people):
    """Key check, the codes with their pages and sign-offs, the library's stamp: constant."""
    params = {"system": "ICD-10-CM", "code": "F42"}
    publish_condition(people, "page-0", "Page 0", codes=[("ICD-10-CM", "F42.2", "")])
    one = count_queries(api, params)
    for number in range(1, 6):
        code = ("ICD-10-CM", f"F42.{number}", "")
        publish_condition(people, f"page-{number}", f"Page {number}", codes=[code])
    many = count_queries(api, params)
    assert (one[1], many[1]) == (1, 6)
    assert one[0] == many[0] <= 3
