"""A client generated from the served OpenAPI document by openapi-python-client works unchanged.

A partner's developer generates a Python client from /api/v1/schema/ and uses it against a
running server: it pages through the whole list by the cursor the API hands out, and parses
each answer into its models (detail, history, manifest, withdrawn, treatments, lookup).
"""

import importlib
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from partners.accounts import create_partner
from reviews import workflow
from tests.conftest import publish_page

# A live server commits; the groups the migrations made come back after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
GENERATOR = Path(sys.executable).parent / "openapi-python-client"
PAGES = ["anxiety", "depression", "insomnia", "ocd", "ptsd"]


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


@pytest.fixture
def library(live_server, editor, physician_user, publisher):
    for slug in PAGES:
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
    assert found.count == 0
