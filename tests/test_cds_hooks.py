"""An EHR's CDS Hooks client gets one card per live page for the patient's problem list.

The request and its prefetch bundle are a fixture in CDS Hooks' shape (tests/data/cds_hooks/):
a problem coded in ICD-10-CM and SNOMED CT, one the library has no page for, and one in a
system it does not read.
"""

import json
from pathlib import Path

import pytest
from django.core.cache import cache

from reviews import workflow
from translations.demo import load_spanish_demo

REQUEST = json.loads(
    (Path(__file__).parent / "data" / "cds_hooks" / "patient_view_request.json").read_text()
)
SERVICE = "/cds-services/condition-pages"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def post(api, body):
    return api.post(SERVICE, json.dumps(body), content_type="application/json")


def test_discovery_names_the_patient_view_service_and_its_prefetch(api, db):
    """GET /cds-services: the hook, the id and the problem-list prefetch template."""
    [service] = api.get("/cds-services").json()["services"]
    assert service["hook"] == "patient-view"
    assert service["id"] == "condition-pages"
    assert service["prefetch"]["conditions"].startswith("Condition?patient={{context.patientId}}")


def test_a_problem_list_gives_one_card_per_live_page(api, demo):
    """The demo page answers F42.2 (and not twice for the SNOMED CT coding of no page)."""
    [card] = post(api, REQUEST).json()["cards"]
    assert len(card["summary"]) < 140
    assert card["summary"].endswith("Treatment-Resistant OCD")
    assert card["indicator"] == "info"
    assert card["source"] == {"label": "Tovani Clinical Library", "url": "http://testserver/"}
    assert card["links"] == [
        {
            "label": "Treatment-Resistant OCD",
            "url": "http://testserver/conditions/treatment-resistant-ocd/",
            "type": "absolute",
        }
    ]
    assert "Reviewed by Dr. Ben Soffer, DO." in card["detail"]


def test_an_unpublished_page_gives_no_card(api, demo, publisher):
    """Only what is live: the cards follow the public site."""
    workflow.unpublish(demo.condition, publisher, "Under revision.")
    assert post(api, REQUEST).json() == {"cards": []}


def test_a_request_without_the_prefetch_or_the_key_is_refused(api, client, demo):
    """No bundle: a 400 naming prefetch.conditions; another service id: 404; no key: a 401,
    as for the API."""
    without = {**REQUEST, "prefetch": {}}
    response = post(api, without)
    assert response.status_code == 400
    assert list(response.json()["parameters"]) == ["prefetch.conditions"]
    assert api.post("/cds-services/other", "{}", content_type="application/json").status_code == 404
    client.defaults.pop("HTTP_X_API_KEY")  # the same client as api's
    assert post(client, REQUEST).status_code == 401


def spanish_patient(preferred="es-US"):
    return {
        "resourceType": "Patient",
        "id": "example",
        "communication": [
            {"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "en"}]}},
            {
                "language": {"coding": [{"system": "urn:ietf:bcp:47", "code": preferred}]},
                "preferred": True,
            },
        ],
    }


def test_a_patient_who_prefers_spanish_gets_the_signed_spanish_page_first(
    api, demo, django_capture_on_commit_callbacks
):
    """Patient.communication prefers es: the card links to the live Spanish version, then to
    the English; for a patient preferring English, or a page with no Spanish version, the
    English alone."""
    with django_capture_on_commit_callbacks(execute=True):
        load_spanish_demo()
    spanish = {**REQUEST, "prefetch": {**REQUEST["prefetch"], "patient": spanish_patient()}}

    [card] = post(api, spanish).json()["cards"]

    assert [link["url"] for link in card["links"]] == [
        "http://testserver/es/conditions/treatment-resistant-ocd/",
        "http://testserver/conditions/treatment-resistant-ocd/",
    ]
    assert card["links"][0]["label"].endswith("(español)")
    english = {**REQUEST, "prefetch": {**REQUEST["prefetch"], "patient": spanish_patient("en")}}
    [card] = post(api, english).json()["cards"]
    assert [link["url"] for link in card["links"]] == [
        "http://testserver/conditions/treatment-resistant-ocd/"
    ]
    assert (
        "Patient/{{context.patientId}}"
        in api.get("/cds-services").json()["services"][0]["prefetch"].values()
    )


def test_a_problem_list_of_another_shape_gives_no_card_rather_than_an_error(api, demo):
    """Entries, resources and codings that are not JSON objects, lists that are not lists, a
    system that is not a string: passed over, as codings of other systems are."""
    odd = {
        "resourceType": "Bundle",
        "entry": [
            1,
            {"resource": []},
            {"resource": {"resourceType": "Condition", "code": {"coding": "F42.2"}}},
            {
                "resource": {
                    "resourceType": "Condition",
                    "code": {"coding": [5, {"system": ["x"], "code": "F42.2"}]},
                }
            },
        ],
    }
    for bundle in (odd, {"entry": "F42.2"}, {"entry": {"resource": 1}}):
        body = {**REQUEST, "prefetch": {"conditions": bundle, "patient": [1]}}
        response = post(api, body)
        assert response.status_code == 200, response.content
        assert response.json() == {"cards": []}
    refused = post(api, {**REQUEST, "prefetch": ["conditions"]})
    assert refused.status_code == 400
    assert list(refused.json()["parameters"]) == ["prefetch.conditions"]


def test_any_other_address_under_cds_services_is_a_problem(api, db):
    """Not the site's HTML page: an address no slug matches is the API's 404 problem."""
    response = api.post("/cds-services/%C3%B6x", "{}", content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"
