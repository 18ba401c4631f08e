"""FHIR R4 DocumentReference: an EHR finds the library's live pages by clinical code and language,
and every resource, bundle and OperationOutcome it receives validates with fhir.resources (R4B,
whose DocumentReference, Bundle and OperationOutcome are R4's)."""

import base64
import hashlib
import json

import pytest
from fhir.resources.R4B import get_fhir_model_class

from conditions.models import Condition
from publishing.notices import set_notice
from reviews import workflow
from reviews.models import Publication
from tests.test_translation_partners import spanish  # noqa: F401 - a fixture

SEARCH = "/fhir/DocumentReference"
OCD = "http://testserver/conditions/treatment-resistant-ocd/"


def fhir_json(response, status=200) -> dict:
    """The answer's JSON, after checking its status and media type and validating it as R4."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/fhir+json")
    data = json.loads(response.content)
    get_fhir_model_class(data["resourceType"]).model_validate(data)
    return data


def outcome(response, status) -> dict:
    data = fhir_json(response, status)
    assert data["resourceType"] == "OperationOutcome"
    [issue] = data["issue"]
    assert issue["severity"] == "error"
    return issue


def sha1_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.sha1(data).digest()).decode()  # noqa: S324 - FHIR's hash


def served(client, url) -> bytes:
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    return response.content


def test_a_code_search_finds_the_live_page_as_a_document_reference(api, demo):
    """ICD-10-CM F42.2: a searchset with the demo page, its attachment the public page, hashed
    as FHIR defines (base64 SHA-1 of exactly the bytes its URL serves), its codes, its
    reviewer and its publication's signature block."""
    response = api.get(SEARCH, {"code": "http://hl7.org/fhir/sid/icd-10-cm|F42.2"})
    bundle = fhir_json(response)
    assert bundle["type"] == "searchset"
    assert bundle["total"] == 1
    [entry] = bundle["entry"]
    document = entry["resource"]
    page = Condition.objects.get(slug="treatment-resistant-ocd")
    publication = Publication.objects.for_object(page).live().get()
    assert entry["fullUrl"] == f"http://testserver/fhir/DocumentReference/condition-{page.pk}"
    assert document["id"] == f"condition-{page.pk}"
    assert document["meta"]["versionId"] == str(publication.pk)
    assert (document["status"], document["docStatus"]) == ("current", "final")
    [content] = document["content"]
    attachment = content["attachment"]
    assert attachment["contentType"] == "text/html"
    assert attachment["language"] == "en"
    assert attachment["url"] == OCD
    assert attachment["title"] == "Treatment-Resistant OCD"
    assert attachment["creation"].endswith("Z")
    body = served(api, OCD)
    assert attachment["hash"] == sha1_b64(body)
    assert attachment["size"] == len(body)
    related = {
        (r["identifier"]["system"], r["identifier"]["value"])
        for r in document["context"]["related"]
    }
    assert related == {
        ("http://hl7.org/fhir/sid/icd-9-cm", "300.3"),  # DSM-5 300.3 is the ICD-9-CM code
        ("http://id.who.int/icd/release/11/mms", "6B20"),
        ("http://hl7.org/fhir/sid/icd-10-cm", "F42.2"),
    }
    [reviewer] = document["contained"]
    assert reviewer["resourceType"] == "Practitioner"
    assert reviewer["name"] == [{"text": "Ben Soffer"}]
    assert document["authenticator"] == {"reference": "#reviewer", "display": "Dr. Ben Soffer, DO"}
    assert document["author"] == [document["authenticator"]]
    [signature] = document["extension"]
    assert signature["url"] == "http://testserver/fhir/StructureDefinition/publication-signature"
    parts = {
        part["url"]: next(v for k, v in part.items() if k.startswith("value"))
        for part in signature["extension"]
    }
    assert parts["payload"] == publication.payload
    assert parts["signature"] == publication.signature
    assert parts["key_id"] == publication.key_id
    assert parts["key_set"] == "http://testserver/.well-known/tovani-keys.json"


@pytest.mark.parametrize(
    "token",
    [
        "http://hl7.org/fhir/sid/icd-9-cm|300.3",  # the page's DSM-5 code
        "http://id.who.int/icd/release/11/mms|6B20",
        "F42.2",  # a bare code: any system it is a code of
        "http://snomed.info/sct|191736004,http://hl7.org/fhir/sid/icd-10-cm|F42.2",
    ],
)
def test_each_of_the_pages_codes_finds_it(api, demo, token):
    bundle = fhir_json(api.get(SEARCH, {"related:identifier": token}))
    assert [e["resource"]["content"][0]["attachment"]["url"] for e in bundle["entry"]] == [OCD]


def test_a_code_no_live_page_has_is_an_empty_searchset(api, demo):
    """F42.8 is a sibling, not the page's code: FHIR token search is exact."""
    bundle = fhir_json(api.get(SEARCH, {"code": "http://hl7.org/fhir/sid/icd-10-cm|F42.8"}))
    assert bundle["total"] == 0
    assert "entry" not in bundle or bundle["entry"] == []


def test_read_answers_the_resource_and_an_unknown_id_an_operation_outcome(api, demo):
    page = Condition.objects.get(slug="treatment-resistant-ocd")
    document = fhir_json(api.get(f"{SEARCH}/condition-{page.pk}"))
    assert document["resourceType"] == "DocumentReference"
    assert document["content"][0]["attachment"]["url"] == OCD
    for missing in (f"condition-{page.pk + 100}", "ocd", f"condition-{page.pk}-fr"):
        issue = outcome(api.get(f"{SEARCH}/{missing}"), 404)
        assert issue["code"] == "not-found"
    assert outcome(api.get("/fhir/Patient"), 404)["code"] == "not-found"


def test_an_unpublished_page_is_neither_found_nor_read(api, demo, publisher):
    page = Condition.objects.get(slug="treatment-resistant-ocd")
    workflow.unpublish(page, publisher, "Under revision.")
    assert fhir_json(api.get(SEARCH))["total"] == 0
    outcome(api.get(f"{SEARCH}/condition-{page.pk}"), 404)


@pytest.mark.parametrize(
    ("query", "expression"),
    [
        ({"subject": "Patient/1"}, "subject"),
        ({"code": "http://loinc.org|1234-5"}, "code"),
        ({"code": "http://hl7.org/fhir/sid/icd-10-cm|not a code"}, "code"),
        ({"code": ""}, "code"),
        ({"language": "fr"}, "language"),
    ],
)
def test_a_bad_search_is_an_operation_outcome_naming_the_parameter(api, demo, query, expression):
    issue = outcome(api.get(SEARCH, query), 400)
    assert issue["expression"] == [expression]
    assert issue["code"] in ("invalid", "not-supported")


def test_the_partner_key_is_required_and_only_get_is_answered(api, client, demo):
    """The partner API's access: no key is a 401 OperationOutcome; a write is a 405."""
    assert outcome(api.post(SEARCH, {}), 405)["code"] == "not-supported"
    client.defaults.pop("HTTP_X_API_KEY")
    response = client.get(SEARCH)
    assert outcome(response, 401)["code"] == "login"
    assert response["WWW-Authenticate"] == 'ApiKey header="X-API-Key"'
    assert outcome(client.get(SEARCH, HTTP_X_API_KEY="wrong"), 401)["code"] == "login"


def test_answers_carry_the_partner_rate_limit_and_validators(api, demo):
    response = api.get(SEARCH)
    fhir_json(response)
    assert response["RateLimit-Policy"].startswith('"partner"')
    assert api.get(SEARCH, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_hash_follows_what_the_page_shows_beside_its_text(api, demo):
    """A notice above the live page changes the bytes served: the hash follows them."""
    page = Condition.objects.get(slug="treatment-resistant-ocd")
    before = fhir_json(api.get(f"{SEARCH}/condition-{page.pk}"))
    set_notice(page, "A cited study was retracted; the page is being reviewed.")
    after = fhir_json(api.get(f"{SEARCH}/condition-{page.pk}"))
    attachment = after["content"][0]["attachment"]
    assert attachment["hash"] != before["content"][0]["attachment"]["hash"]
    assert attachment["hash"] == sha1_b64(served(api, OCD))


def test_a_live_spanish_version_is_its_own_document_in_spanish(api, spanish):  # noqa: F811
    """language=es: the translation, its attachment the Spanish page (hashed as served), the
    English page's codes, the Spanish reviewer, and relatesTo transforms the English."""
    english, _, publication = spanish
    both = fhir_json(api.get(SEARCH, {"code": "http://hl7.org/fhir/sid/icd-10-cm|F42.2"}))
    assert [e["resource"]["id"] for e in both["entry"]] == [
        f"condition-{english.pk}",
        f"condition-{english.pk}-es",
    ]
    bundle = fhir_json(api.get(SEARCH, {"language": "urn:ietf:bcp:47|es"}))
    [entry] = bundle["entry"]
    document = entry["resource"]
    attachment = document["content"][0]["attachment"]
    assert attachment["language"] == "es"
    assert attachment["url"] == "http://testserver/es/conditions/test-condition/"
    assert attachment["title"] == "Trastorno de prueba"
    assert attachment["hash"] == sha1_b64(served(api, attachment["url"]))
    assert document["meta"]["versionId"] == str(publication.pk)
    assert document["authenticator"]["display"] == "Dr. Lucía García Demo, MD"
    assert document["relatesTo"] == [
        {
            "code": "transforms",
            "target": {
                "reference": f"DocumentReference/condition-{english.pk}",
                "display": "Test Condition",
            },
        }
    ]
    assert document["context"]["related"] == [
        {
            "identifier": {"system": "http://hl7.org/fhir/sid/icd-10-cm", "value": "F42.2"},
            "display": "ICD-10-CM F42.2",
        }
    ]
    english_only = fhir_json(api.get(SEARCH, {"language": "en"}))
    [english_entry] = english_only["entry"]
    # The English page now links its Spanish version: its hash covers that too.
    english_attachment = english_entry["resource"]["content"][0]["attachment"]
    assert english_attachment["hash"] == sha1_b64(served(api, english_attachment["url"]))
    assert english_entry["resource"]["docStatus"] == "amended"  # published twice
    read = fhir_json(api.get(f"{SEARCH}/condition-{english.pk}-es"))
    assert read == document
    by_id = fhir_json(api.get(SEARCH, {"_id": f"condition-{english.pk}-es,nonsense"}))
    assert [e["resource"] for e in by_id["entry"]] == [document]


def test_over_the_rate_limit_is_a_throttled_operation_outcome(client, demo):
    from partners.accounts import create_partner

    _, key = create_partner("Small", rate_limit_per_minute=1)
    assert client.get(SEARCH, headers={"x-api-key": key}).status_code == 200
    response = client.get(SEARCH, headers={"x-api-key": key})
    assert outcome(response, 429)["code"] == "throttled"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_the_signature_extension_is_defined_at_its_url(client, db):
    """Its URL answers, without a key, a StructureDefinition of the extension and its parts."""
    url = "http://testserver/fhir/StructureDefinition/publication-signature"
    definition = fhir_json(client.get(url))
    assert definition["resourceType"] == "StructureDefinition"
    assert definition["url"] == url
    assert definition["type"] == "Extension"
    slices = [e["sliceName"] for e in definition["differential"]["element"] if "sliceName" in e]
    assert slices == ["payload", "signature", "key_id", "key_set"]


def test_metadata_is_a_capability_statement_clients_can_read_without_a_key(client, demo):
    """/fhir/metadata, as FHIR clients ask first: read and search-type on DocumentReference,
    each search parameter the server takes, JSON only; no page content, so no key."""
    statement = fhir_json(client.get("/fhir/metadata"))

    assert statement["resourceType"] == "CapabilityStatement"
    assert (statement["fhirVersion"], statement["format"]) == ("4.0.1", ["json"])
    [rest] = statement["rest"]
    [resource] = rest["resource"]
    assert resource["type"] == "DocumentReference"
    assert [i["code"] for i in resource["interaction"]] == ["read", "search-type"]
    assert {p["name"] for p in resource["searchParam"]} == {
        "code",
        "related",
        "language",
        "_id",
        "status",
    }
    assert "X-API-Key" in rest["documentation"]


def test_a_database_lost_in_a_search_is_a_transient_operation_outcome(api, db, monkeypatch):
    """tovani.middleware's 503 under /fhir/ is FHIR's error shape too, with Retry-After."""
    from django.db import OperationalError

    from api import fhir

    def lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(fhir.selectors, "document_entries", lost)
    issue = outcome(api.get(SEARCH), 503)
    assert issue["code"] == "transient"
    assert api.get(SEARCH)["Retry-After"] == "30"
