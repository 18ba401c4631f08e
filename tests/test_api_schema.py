"""The OpenAPI schema: valid, served with offline docs, and every answer matches it."""

import json
import re
from pathlib import Path
from unittest.mock import ANY

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import positive_data_acceptance

from conditions.models import Condition
from tovani.wsgi import application

SCHEMA = "/api/v1/schema/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def requests_share_the_test_transaction():
    """As Django's test client does: the application must not close the test's connection."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_schema_is_valid_openapi_3_needing_a_key(client, db):
    """The served schema passes OpenAPI 3 validation and names the key header."""
    schema = client.get(SCHEMA, {"format": "json"}).json()
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    scheme = schema["components"]["securitySchemes"]["PartnerKey"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert set(schema["paths"]) == {
        "/api/v1/conditions/",
        "/api/v1/conditions/{slug}/",
        "/api/v1/conditions/{slug}/history/",
        "/api/v1/treatments/",
        "/api/v1/treatments/{slug}/",
        "/api/v1/withdrawn/",
        "/api/v1/manifest/",
        "/api/v1/lookup/",
        "/api/v1/lookup/atom/",
        "/fhir/metadata",
        "/fhir/DocumentReference",
        "/fhir/DocumentReference/{resource_id}",
        "/fhir/StructureDefinition/publication-signature",
        "/cds-services",
        "/cds-services/{service_id}",
        "/.well-known/tovani-keys.json",
    }


@pytest.mark.parametrize("docs", ["/api/docs/", "/api/docs/redoc/"])
def test_the_docs_load_only_assets_served_here(client, db, docs):
    """Swagger UI and Redoc come from this server's static files, not a CDN."""
    html = client.get(docs).content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert not [url for url in assets if url.startswith(("http:", "https:", "//"))]
    scripts = [url for url in assets if url.endswith(".js")]
    assert scripts
    assert all(client.get(url).status_code == 200 for url in scripts)


# Loaded through the WSGI application, as a partner's tools would load it from the server.
live_schema = schemathesis.openapi.from_wsgi(SCHEMA, application)
# The key is the test's to send, not a parameter to fuzz: a request "without" it would still
# carry it, and a rejected-negative check would then misfire.
live_schema.config.generation.update(with_security_parameters=False)


@pytest.fixture
def library(demo, partner_key, settings):
    """The demo library published, and a partner's key.

    schemathesis sends many requests without a key, each checked for its 401: the wrong-key
    throttle (tested in test_partner_keys) would answer the later ones 429.
    """
    settings.API_FAILED_KEY_LIMIT = 1_000_000
    return partner_key


@pytest.mark.django_db
@live_schema.parametrize()
@hypothesis_settings(
    max_examples=100, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
)
def test_every_answer_matches_the_schema(case, library):
    """schemathesis: generated requests with a valid key meet every documented response.

    Valid and invalid parameters, headers and addresses, checked for status, content type,
    headers and body against the schema. Derandomized so CI is repeatable; raise max_examples
    and drop derandomize to explore further.
    """
    if case.query:
        # A cursor is an opaque token the API hands out; one made up is a 400 (test_api).
        case.query.pop("cursor", None)
    excluded = []
    if case.path in ("/api/v1/lookup/", "/api/v1/lookup/atom/", "/fhir/DocumentReference"):
        # OpenAPI cannot say that a code must be one of its system's codes, nor that one of two
        # forms is needed (or, for FHIR, that code and related exclude each other), so a request
        # the schema allows may be a 400 (test_code_lookup and test_fhir pin those). Every other
        # check holds, invalid requests refused included.
        excluded = [positive_data_acceptance]
    case.call_and_validate(headers={"X-API-Key": library}, excluded_checks=excluded)


DEMO_SLUG = "treatment-resistant-ocd"
PUBLIC = f"/conditions/{DEMO_SLUG}/"


@pytest.mark.parametrize(
    ("path", "parameters"),
    [
        ("/api/v1/conditions/", {"query": {"code": "ICD-11:6B20", "page_size": 1}}),
        ("/api/v1/conditions/{slug}/", {"path_parameters": {"slug": DEMO_SLUG}}),
        ("/api/v1/treatments/", {}),
        ("/api/v1/treatments/{slug}/", {"path_parameters": {"slug": "clomipramine"}}),
        ("/api/v1/withdrawn/", {"query": {"updated_since": "2026-01-01T00:00:00Z"}}),
        ("/api/v1/manifest/", {}),
        ("/api/v1/lookup/", {"query": {"system": "ICD-10-CM", "code": "F42.2"}}),
        (
            "/api/v1/lookup/",
            {
                "query": {
                    "mainSearchCriteria.v.c": "F42.2",
                    "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.90",
                    "knowledgeResponseType": "application/atom+xml",
                }
            },
        ),
        (
            "/api/v1/lookup/",
            {
                "query": {
                    "mainSearchCriteria.v.c": "F42.2",
                    "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.90",
                    "knowledgeResponseType": "application/json",
                }
            },
        ),
        (
            "/api/v1/lookup/",
            {
                "query": {
                    "mainSearchCriteria.v.c": "F42.2",
                    "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.90",
                    "knowledgeResponseType": "text/xml",
                }
            },
        ),
        ("/api/v1/lookup/atom/", {"query": {"system": "ICD-10-CM", "code": "F42.2"}}),
    ],
)
def test_the_demo_library_answers_match_the_schema(library, path, parameters):
    """Real pages, not only generated addresses: each 200 and its repeat's 304 match."""
    operation = live_schema[path]["GET"]
    first = operation.Case(**parameters).call_and_validate(headers={"X-API-Key": library})
    assert first.status_code == 200
    repeat = operation.Case(**parameters, headers={"If-None-Match": first.headers["etag"][0]})
    assert repeat.call_and_validate(headers={"X-API-Key": library}).status_code == 304


CDS_REQUEST = json.loads(
    (Path(__file__).parent / "data" / "cds_hooks" / "patient_view_request.json").read_text()
)


@pytest.fixture
def in_two_languages(library, demo, django_capture_on_commit_callbacks):
    """The demo page and its signed Spanish version, both live."""
    from translations.demo import load_spanish_demo

    with django_capture_on_commit_callbacks(execute=True):
        load_spanish_demo()
    return Condition.objects.get(slug=DEMO_SLUG)


def test_the_fhir_answers_match_the_schema(library, in_two_languages):
    """Real FHIR answers, as the document describes them: the CapabilityStatement, a search
    finding both languages of the demo page, a read of each, the signature extension's
    definition, and the OperationOutcomes of a bad search and an unknown id; each 200's repeat
    with its ETag is a 304."""
    page = in_two_languages.pk
    search = live_schema["/fhir/DocumentReference"]["GET"]
    read = live_schema["/fhir/DocumentReference/{resource_id}"]["GET"]
    answers = [
        (live_schema["/fhir/metadata"]["GET"].Case(), 200),
        (search.Case(query={"code": "http://hl7.org/fhir/sid/icd-10-cm|F42.2"}), 200),
        (search.Case(query={"language": "es"}), 200),
        (read.Case(path_parameters={"resource_id": f"condition-{page}"}), 200),
        (read.Case(path_parameters={"resource_id": f"condition-{page}-es"}), 200),
        (live_schema["/fhir/StructureDefinition/publication-signature"]["GET"].Case(), 200),
        (search.Case(query={"code": "http://example.org/codes|F42.2"}), 400),
        (read.Case(path_parameters={"resource_id": "condition-0"}), 404),
    ]
    found = {}
    for case, status in answers:
        response = case.call_and_validate(headers={"X-API-Key": library})
        assert response.status_code == status, response.text
        assert response.headers["content-type"][0].startswith("application/fhir+json")
        found[case.path, str(case.query), str(case.path_parameters)] = response.json()
        if status == 200:
            case.headers = {"If-None-Match": response.headers["etag"][0]}
            repeat = case.call_and_validate(headers={"X-API-Key": library})
            assert repeat.status_code == 304
    bundles = [a for a in found.values() if a["resourceType"] == "Bundle"]
    assert [b["total"] for b in bundles] == [2, 1]  # English and Spanish; Spanish alone


def test_the_cds_hooks_answers_match_the_schema(library, in_two_languages):
    """Discovery, the fixture request's cards (the Spanish page first for a patient preferring
    Spanish) and the problem for a request without the problem list, as described."""
    from tests.test_cds_hooks import spanish_patient

    call = live_schema["/cds-services/{service_id}"]["POST"]
    service = {"service_id": "condition-pages"}
    discovery = (
        live_schema["/cds-services"]["GET"].Case().call_and_validate(headers={"X-API-Key": library})
    )
    assert discovery.json()["services"][0]["id"] == "condition-pages"
    prefetch = {**CDS_REQUEST["prefetch"], "patient": spanish_patient()}
    answers = []
    for body, status in [
        (CDS_REQUEST, 200),
        ({**CDS_REQUEST, "prefetch": prefetch}, 200),
        ({**CDS_REQUEST, "prefetch": {}}, 400),
    ]:
        case = call.Case(path_parameters=service, body=body, media_type="application/json")
        response = case.call_and_validate(headers={"X-API-Key": library})
        assert response.status_code == status, response.text
        answers.append(response.json())
    [english], [spanish] = (answer["cards"] for answer in answers[:2])
    assert [link["url"] for link in english["links"]] == [f"http://localhost{PUBLIC}"]
    assert spanish["links"][0]["url"] == f"http://localhost/es{PUBLIC}"
    assert answers[2]["parameters"] == {"prefetch.conditions": [ANY]}


def test_the_key_set_answer_matches_the_schema(library, demo):
    """The JWK set the signatures verify with, and its 304."""
    case = live_schema["/.well-known/tovani-keys.json"]["GET"].Case()
    response = case.call_and_validate()
    [key] = response.json()["keys"]
    assert (key["kty"], key["crv"]) == ("OKP", "Ed25519")
    case.headers = {"If-None-Match": response.headers["etag"][0]}
    assert case.call_and_validate().status_code == 304
