"""Each live page's API detail is signed as served (payload version 2), history entries carry
their publication's own signature (version 1), and verify_library checks both forms."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from api import signed_detail
from publishing.models import PageRendering
from reviews import signatures
from reviews.models import Publication, SigningKey


@pytest.fixture(autouse=True)
def site_url(settings):
    """Details are signed with the addresses they are served with: the site's."""
    settings.SITE_URL = "https://library.example"


def keys():
    return dict(SigningKey.objects.values_list("kid", "x"))


def verify(capsys):
    try:
        call_command("verify_library")
    except CommandError as error:
        printed = capsys.readouterr()
        return False, printed.out + printed.err + str(error)
    printed = capsys.readouterr()
    return True, printed.out + printed.err


def detail_rendering(publication):
    return PageRendering.objects.get(publication=publication, template="api/condition.json")


def test_a_detail_is_signed_over_its_representation(published, api, settings):
    """The detail's payload is of the second form and names the digest of the detail as a
    partner receives it, without its verification member."""
    detail = api.get(f"/api/v1/conditions/{published.slug}/").json()
    payload = json.loads(detail["verification"]["payload"])
    publication = Publication.objects.get()
    assert payload["version"] == 2
    assert payload["source_digest"] == publication.source_digest
    assert payload["representation_digest"] == signed_detail.representation_digest(detail)
    assert signatures.block_problems(detail["verification"], publication, keys()) == []


def test_history_entries_carry_their_own_verification_block(published, api):
    """Each entry of a page's history verifies by its publication's own signature."""
    history = api.get(f"/api/v1/conditions/{published.slug}/history/").json()
    entry = history["results"][0]
    publication = Publication.objects.get()
    assert signatures.block_problems(entry["verification"], publication, keys()) == []
    payload = json.loads(entry["verification"]["payload"])
    assert payload["digest"] == entry["digest"]
    assert "version" not in payload


def test_verify_library_accepts_both_forms(published, api, capsys):
    """An untouched library verifies: publications by their first-form payloads, details by
    their second-form ones."""
    api.get(f"/api/v1/conditions/{published.slug}/")
    assert verify(capsys)[0]


def test_verify_library_names_a_stored_detail_changed_after_it_was_signed(published, api, capsys):
    """Changing the stored JSON of a detail (its summary) is named, with the publication."""
    api.get(f"/api/v1/conditions/{published.slug}/")
    row = detail_rendering(Publication.objects.get())
    altered = row.html.replace('"summary":"', '"summary":"Cures it. ', 1)
    models.QuerySet(PageRendering).filter(pk=row.pk).update(html=altered)
    ok, printed = verify(capsys)
    assert not ok
    assert "representation_digest is not the digest of the detail as served" in printed
    assert f"publication {row.publication_id}" in printed


def test_verify_library_names_a_detail_whose_payload_was_forged(published, api, capsys):
    """A second-form payload rewritten without the key does not verify, and is named."""
    api.get(f"/api/v1/conditions/{published.slug}/")
    row = detail_rendering(Publication.objects.get())
    stored = json.loads(row.html)
    block = stored["verification"]
    block["payload"] = block["payload"].replace("Dr. Gregory House", "Dr. Impostor")
    models.QuerySet(PageRendering).filter(pk=row.pk).update(html=json.dumps(stored))
    ok, printed = verify(capsys)
    assert not ok
    assert "its signature does not verify over its payload" in printed
