"""A client generated from the served OpenAPI document by openapi-python-client works unchanged.

A partner's developer generates a Python client from /api/v1/schema/ and uses it against a
running server: it pages through the whole list by the cursor the API hands out, and parses
each answer into its models (detail, history, manifest, withdrawn, treatments, the lookup in
its JSON shapes, FHIR, CDS Hooks and the key set).
"""

import importlib
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conditions.models import ClinicalCode
from partners.accounts import create_partner
from reviews import workflow
from tests.conftest import PASSWORD, make_condition, publish_page

# A live server commits; the groups the migrations made come back after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PAGES = ["anxiety", "depression", "insomnia", "ocd", "ptsd"]
ATOM = {"atom": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def generated(client, db, tmp_path, monkeypatch):
    """The package openapi-python-client writes from the schema this server serves."""
    schema = tmp_path / "schema.json"
    schema.write_bytes(client.get("/api/v1/schema/", {"format": "json"}).content)
    result = subprocess.run(
        [GENERATOR, "generate", "--path", schema, "--meta", "none"]
        + ["--output-path", "library_client"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Unsupported" not in result.stdout + result.stderr
    monkeypatch.syspath_prepend(str(tmp_path))
    return importlib.import_module("library_client")


CDS_REQUEST = json.loads(
    (Path(__file__).parent / "data" / "cds_hooks" / "patient_view_request.json").read_text()
)


@pytest.fixture
def library(live_server, editor, physician_user, publisher):
    for slug in PAGES:
        if slug == "ocd":  # coded, for the lookup, FHIR and CDS Hooks to find
            page = make_condition(editor, slug=slug, title="Ocd")
            ClinicalCode.objects.create(condition=page, system="ICD-10-CM", code="F42.2")
            workflow.sign_off(page, physician_user, PASSWORD)
            workflow.publish(page, publisher)
        else:
            publish_page(editor, physician_user, publisher, slug)
    workflow.unpublish(
        publish_page(editor, physician_user, publisher, "gone"), publisher, "Merged."
    )
    return create_partner("EHR", contact_email="ehr@clinic.example", rate_limit_per_minute=9999)[1]


def api(package, live_server, key):
    client = importlib.import_module("library_client.client")
    return client.AuthenticatedClient(
        base_url=live_server.url, token=key, auth_header_name="X-API-Key", prefix=""
    )


def test_the_generated_client_pages_through_the_whole_list(generated, library, live_server):
    """page_size and cursor are parameters the client has; next gives the cursor."""
    from library_client.api.conditions import conditions_list

    client = api(generated, live_server, library)
    seen, cursor = [], None
    while True:
        page = conditions_list.sync(client=client, page_size=2, cursor=cursor or None)
        seen += [entry.slug for entry in page.results]
        if not page.next_:
            break
        cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]
    assert sorted(seen) == PAGES


def test_the_generated_client_parses_every_answer(generated, library, live_server):
    """Detail, history, manifest, withdrawn, treatments and the lookup, into their models."""
    from library_client.api.conditions import conditions_history, conditions_retrieve
    from library_client.api.lookup import lookup
    from library_client.api.manifest import manifest
    from library_client.api.treatments import treatments_list
    from library_client.api.withdrawn import withdrawn_list
    from library_client.models import LookupSystem

    client = api(generated, live_server, library)
    assert conditions_retrieve.sync("ocd", client=client).slug == "ocd"
    assert conditions_history.sync("ocd", client=client).count == 1
    assert sorted(e.slug for e in manifest.sync(client=client).results) == PAGES
    assert [w.slug for w in withdrawn_list.sync(client=client).results] == ["gone"]
    assert treatments_list.sync(client=client).count == 0
    found = lookup.sync(client=client, system=LookupSystem.ICD_10_CM, code="F42.2")
    assert [result.slug for result in found.results] == ["ocd"]


def test_the_generated_client_parses_medlineplus_json_feed(generated, library, live_server):
    """knowledgeResponseType=application/json: the feed as MedlinePlus's JSON, into its model
    (the flat answer's model is the other shape the lookup's JSON may take)."""
    from library_client.api.lookup import lookup
    from library_client.models import (
        LookupKnowledgeResponseType,
        LookupMainSearchCriteriaVCs,
        MedlinePlusAnswer,
    )

    client = api(generated, live_server, library)
    answer = lookup.sync(
        client=client,
        main_search_criteria_v_c="F42.2",
        main_search_criteria_v_cs=LookupMainSearchCriteriaVCs.VALUE_0,
        knowledge_response_type=LookupKnowledgeResponseType.APPLICATIONJSON,
    )
    assert isinstance(answer, MedlinePlusAnswer)
    [entry] = answer.feed.entry
    assert entry.link[0].href == f"{live_server.url}/conditions/ocd/"
    assert answer.feed.subtitle.field_value.endswith("ICD-10-CM F42.2")


def test_the_generated_client_reads_the_atom_feed_as_text(generated, library, live_server):
    """The Atom address: one media type for its operation, read as text, whichever of its two
    types is asked for; the text is the feed, with the page as its entry."""
    from library_client.api.lookup import lookup_atom
    from library_client.models import LookupAtomKnowledgeResponseType, LookupAtomSystem
    from library_client.types import UNSET

    client = api(generated, live_server, library)
    for media_type in (UNSET, LookupAtomKnowledgeResponseType.TEXTXML):
        feed = lookup_atom.sync(
            client=client,
            system=LookupAtomSystem.ICD_10_CM,
            code="F42.2",
            knowledge_response_type=media_type,
        )
        assert isinstance(feed, str)
        links = ET.fromstring(feed).findall("atom:entry/atom:link", ATOM)
        assert [link.get("href") for link in links] == [f"{live_server.url}/conditions/ocd/"]


def test_the_generated_client_reads_fhir_cds_hooks_and_the_key_set(generated, library, live_server):
    """FHIR's metadata, search, read and the signature extension's definition; CDS Hooks'
    discovery and a patient-view call with the fixture request; the JWK set: each into its
    model, and a FHIR error into an OperationOutcome."""
    from library_client.api.cds_hooks import cds_service_call, cds_services
    from library_client.api.fhir import (
        fhir_document_reference_read,
        fhir_document_reference_search,
        fhir_metadata,
        fhir_signature_definition,
    )
    from library_client.api.keys import key_set
    from library_client.models import CdsRequest, FhirOperationOutcome

    client = api(generated, live_server, library)
    assert fhir_metadata.sync(client=client).fhir_version.value == "4.0.1"
    bundle = fhir_document_reference_search.sync(
        client=client, code="http://hl7.org/fhir/sid/icd-10-cm|F42.2"
    )
    [entry] = bundle.entry
    document = entry.resource
    assert document.content[0].attachment.url == f"{live_server.url}/conditions/ocd/"
    assert fhir_document_reference_search.sync(client=client).total == len(PAGES)
    read = fhir_document_reference_read.sync(document.id, client=client)
    assert read.meta.version_id == document.meta.version_id
    missing = fhir_document_reference_read.sync("condition-0", client=client)
    assert isinstance(missing, FhirOperationOutcome)
    assert missing.issue[0].code == "not-found"
    assert fhir_signature_definition.sync(client=client).type_.value == "Extension"

    [service] = cds_services.sync(client=client).services
    request = CdsRequest.from_dict(CDS_REQUEST)
    [card] = cds_service_call.sync(service.id, client=client, body=request).cards
    assert card.links[-1].url == f"{live_server.url}/conditions/ocd/"
    assert card.indicator.value == "info"

    [key] = key_set.sync(client=client).keys
    assert key.kid == read.extension[0].extension[2].value_string  # key_id
