"""Every publication carries the site's Ed25519 signature, which anyone can verify.

publish() signs a canonical payload (slug, digest, the physician's signature line, signed at,
published at, key id) with the site's key; the public keys are served as a JWK set at
/.well-known/tovani-keys.json, older ones kept after rotation, so a partner verifies a page with
nothing but the cryptography package. Without a usable key nothing is published.
"""

import base64
import json

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import call_command

from reviews import signatures, workflow
from reviews.errors import WorkflowError
from reviews.models import Publication, SigningKey
from tests.conftest import PASSWORD, edit


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_as_a_partner(block, key_set):
    """What the README shows a partner doing: find the key by kid, verify the payload."""
    jwk = next(key for key in key_set["keys"] if key["kid"] == block["key_id"])
    public_key = Ed25519PublicKey.from_public_bytes(b64url_decode(jwk["x"]))
    public_key.verify(b64url_decode(block["signature"]), block["payload"].encode("utf-8"))
    return json.loads(block["payload"])


@pytest.fixture
def signed(condition, physician_user):
    workflow.sign_off(condition, physician_user, PASSWORD)
    return condition


def test_a_published_page_verifies_with_the_key_set_the_site_serves(published, client):
    publication = Publication.objects.get()
    key_set = client.get("/.well-known/tovani-keys.json").json()

    payload = verify_as_a_partner(signatures.verification_block(publication), key_set)

    assert payload == {
        "slug": publication.slug,
        "digest": publication.digest,
        "signature": publication.sign_off.signature,
        "signed_at": publication.sign_off.signed_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "published_at": publication.published_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "key_id": publication.key_id,
    }
    assert payload["signature"].startswith("Dr. ")


def test_the_api_detail_carries_a_signature_a_partner_verifies_with_the_published_keys(
    published, api
):
    """The partner needs only the API's answer and the key set: the signed payload names the
    page, its digest and its reviewer exactly as the answer does."""
    detail = api.get(f"/api/v1/conditions/{published.slug}/").json()
    key_set = api.get("/.well-known/tovani-keys.json").json()

    payload = verify_as_a_partner(detail["verification"], key_set)

    assert payload["slug"] == detail["slug"]
    assert payload["digest"] == detail["digest"]
    assert payload["signature"] == detail["review"]["physician"]["signature"]
    forged = {
        **detail["verification"],
        "payload": detail["verification"]["payload"].replace(payload["signature"], "Dr. Impostor"),
    }
    with pytest.raises(InvalidSignature):
        verify_as_a_partner(forged, key_set)


def test_the_key_set_is_a_jwk_set_of_ed25519_public_keys(published, client):
    response = client.get("/.well-known/tovani-keys.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk-set+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]
    [key] = response.json()["keys"]
    assert {key["kty"], key["crv"]} == {"OKP", "Ed25519"}
    assert len(b64url_decode(key["x"])) == 32
    assert "d" not in key  # never the private half


def test_a_changed_payload_does_not_verify(published, client):
    block = signatures.verification_block(Publication.objects.get())
    key_set = client.get("/.well-known/tovani-keys.json").json()
    block["payload"] = block["payload"].replace("Dr. ", "Dr. Not ")

    with pytest.raises(InvalidSignature):
        verify_as_a_partner(block, key_set)


def test_after_rotation_new_publications_use_the_new_key_and_old_ones_still_verify(
    published, editor, physician_user, publisher, client, settings, tmp_path
):
    old = Publication.objects.get()
    edit(published, editor, summary="A corrected summary.")
    workflow.sign_off(published, physician_user, PASSWORD)
    key_file = tmp_path / "signing-key.pem"
    call_command("rotate_signing_key", "--key-file", str(key_file))
    settings.SIGNING_KEY = ""
    settings.SIGNING_KEY_FILE = str(key_file)

    new = workflow.publish(published, publisher)
    key_set = client.get("/.well-known/tovani-keys.json").json()

    assert new.key_id != old.key_id
    assert {key["kid"] for key in key_set["keys"]} == {old.key_id, new.key_id}
    verify_as_a_partner(signatures.verification_block(old), key_set)
    verify_as_a_partner(signatures.verification_block(new), key_set)
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_the_rotation_command_needs_somewhere_to_write_the_key(db, settings):
    from django.core.management.base import CommandError

    settings.SIGNING_KEY_FILE = ""
    with pytest.raises(CommandError, match="--key-file"):
        call_command("rotate_signing_key")
    assert not SigningKey.objects.exists()


def test_without_a_usable_key_nothing_is_published(signed, publisher, settings):
    settings.SIGNING_KEY = "not a key"

    with pytest.raises(WorkflowError, match="SIGNING_KEY is not an Ed25519 private key"):
        workflow.publish(signed, publisher)
    assert not Publication.objects.exists()
    assert workflow.state(signed) == workflow.State.APPROVED


def test_a_missing_key_file_is_named(signed, publisher, settings, tmp_path):
    settings.SIGNING_KEY = ""
    settings.SIGNING_KEY_FILE = str(tmp_path / "absent.pem")

    with pytest.raises(WorkflowError, match="absent.pem cannot be read"):
        workflow.publish(signed, publisher)
    assert not Publication.objects.exists()


def test_a_pem_key_signs_as_well_as_base64(signed, publisher, settings):
    private_key = signatures.load_private_key(settings.SIGNING_KEY, source="test")
    settings.SIGNING_KEY = signatures.pem(private_key).decode("ascii")

    publication = workflow.publish(signed, publisher)

    assert publication.key_id == signatures.key_id(signatures.public_x(private_key))
