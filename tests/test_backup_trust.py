"""Backups trust nothing inside the file: keys, accounts, secrets, history are the site's word."""

import base64
import io
import json
import os
import stat
from datetime import datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from backups import trust
from reviews import signatures
from reviews.digest import canonical_json, document_digest
from reviews.models import Publication, SigningKey
from tests.conftest import PASSWORD
from tests.test_backup import (  # noqa: F401 (fixtures)
    TAMPERED,
    _remove_files,
    _write,
    empty_database,
    export,
    import_,
    library,
    live_records,
    nothing_restored,
)
from webhooks.models import Endpoint

FOREIGN = Ed25519PrivateKey.generate()
pytestmark = pytest.mark.usefixtures("library")


def raw_key(private_key) -> str:
    """SIGNING_KEY's form: base64 of the 32 raw private bytes."""
    from cryptography.hazmat.primitives import serialization

    raw = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return base64.b64encode(raw).decode("ascii")


def signed_by(data, private_key):
    """The file's manifest made again over what it holds, signed with private_key."""
    kid = signatures.key_id(signatures.public_x(private_key))
    body = {
        "key_id": kid,
        "exported_at": data["exported_at"],
        "rows": trust.manifest_of(data["objects"]),
    }
    signature = signatures.b64url(private_key.sign(canonical_json(body).encode("utf-8")))
    data["manifest"] = {**body, "signature": signature}
    return json.dumps(data)


def add_object(data, obj):
    data["objects"].append(obj)
    data["counts"][obj["model"]] += 1


def drop_objects(data, dropped):
    for obj in dropped:
        data["objects"].remove(obj)
        data["counts"][obj["model"]] -= 1


def test_a_backup_rewritten_and_re_signed_with_a_key_it_carries_is_refused():
    """“Stop your SSRIs” signed by a foreign key the file carries too: refused, nothing restored."""
    data = json.loads(export())
    publication, sign_off = live_records(data)
    x = signatures.public_x(FOREIGN)
    kid = signatures.key_id(x)
    for record in (publication, sign_off):
        record["fields"]["document"]["summary"] = TAMPERED
        record["fields"]["digest"] = document_digest(record["fields"]["document"])
    fields = publication["fields"]
    fields["key_id"] = kid
    fields["payload"] = signatures.payload_text(
        slug=fields["slug"],
        digest=fields["digest"],
        signature=sign_off["fields"]["signature"],
        signed_at=_moment(sign_off["fields"]["signed_at"]),
        published_at=_moment(fields["published_at"]),
        key_id=kid,
    )
    fields["signature"] = signatures.b64url(FOREIGN.sign(fields["payload"].encode()))
    add_object(
        data,
        {
            "model": "reviews.signingkey",
            "pk": 999,
            "fields": {"kid": kid, "x": x, "created_at": data["exported_at"]},
        },
    )
    data["objects"] = [o for o in data["objects"] if o["model"] != "publishing.pagerendering"]
    data["counts"]["publishing.pagerendering"] = 0
    text = signed_by(data, FOREIGN)
    empty_database()

    with pytest.raises(CommandError, match=f"signed with key '{kid}', which this site does not"):
        import_(text)

    assert nothing_restored()
    assert not SigningKey.objects.filter(kid=kid).exists()


def _moment(text):
    return datetime.fromisoformat(text)


def test_a_backup_from_another_site_is_refused_unless_the_operator_trusts_its_keys(settings):
    """Another site's key is trusted only when the operator names its published key set."""
    text = export()
    their_keys = _write(json.dumps(signatures.jwk_set()))
    empty_database()
    settings.SIGNING_KEY = raw_key(Ed25519PrivateKey.generate())  # this site's own key differs

    with pytest.raises(CommandError, match="this site does not trust.*--trust-keys"):
        import_(text)
    assert nothing_restored()

    report = import_(text, "--trust-keys", str(their_keys))

    assert "3 condition page(s) are live" in report
    used = set(Publication.objects.values_list("key_id", flat=True))
    assert used <= set(SigningKey.objects.values_list("kid", flat=True))
    call_command("verify_library", stdout=io.StringIO())  # raises if anything fails to verify


def test_a_backup_with_an_added_superuser_is_refused_naming_the_account():
    """A superuser with a known password hash slipped into the file: refused, nothing restored."""
    data = json.loads(export())
    add_object(
        data,
        {
            "model": "auth.user",
            "pk": 9999,
            "fields": {
                "username": "mallory",
                "password": "md5$salt$0123456789abcdef0123456789abcdef",
                "is_superuser": True,
                "is_staff": True,
                "is_active": True,
                "first_name": "",
                "last_name": "",
                "email": "",
                "date_joined": data["exported_at"],
                "last_login": None,
                "groups": [],
                "user_permissions": [],
            },
        },
    )
    text = json.dumps(data)
    empty_database()

    with pytest.raises(CommandError, match=r"did not export: user 9999 \(mallory\)"):
        import_(text)

    assert nothing_restored()
    assert not User.objects.filter(username="mallory").exists()


def test_a_backup_with_dropped_history_is_refused_naming_what_is_missing():
    """Every third version, every review state and the newest review event left out: each named."""
    data = json.loads(export())
    versions = [o for o in data["objects"] if o["model"] == "reversion.version"]
    states = [o for o in data["objects"] if o["model"] == "reviews.reviewstate"]
    events = [o for o in data["objects"] if o["model"] == "reviews.reviewevent"]
    newest = max(events, key=lambda o: o["pk"])
    drop_objects(data, [*versions[2::3], *states, newest])
    text = json.dumps(data)
    empty_database()

    with pytest.raises(CommandError) as refusal:
        import_(text)

    message = str(refusal.value)
    assert f"{len(versions[2::3])} of the {len(versions)} versions" in message
    assert f"every one of the {len(states)} review states" in message
    assert f"1 of the {len(events)} review events (ids {newest['pk']})" in message
    assert nothing_restored()


def test_restored_accounts_have_no_working_password_nor_superuser_unless_asked():
    """By default no restored password works and no one is a superuser; the flags keep both."""
    text = export()
    assert User.objects.filter(is_superuser=True).exists()
    empty_database()

    report = import_(text)

    assert "without a working password" in report
    assert "Not restored as superusers: admin" in report
    assert not any(user.has_usable_password() for user in User.objects.all())
    assert not User.objects.filter(is_superuser=True).exists()

    empty_database()
    import_(text, "--keep-passwords", "--keep-superusers")

    assert User.objects.get(username="dr.house").check_password(PASSWORD)
    assert User.objects.filter(username="admin", is_superuser=True).exists()


def test_the_export_is_its_owners_alone_and_leaves_webhook_secrets_out_unless_asked(tmp_path):
    """Mode 0600 even over an existing file; secrets only with --include-secrets, and it says so."""
    from partners.models import Partner

    endpoint = Endpoint.objects.create(
        partner=Partner.objects.first(), url="https://hooks.example.org/tovani"
    )
    path = tmp_path / "library.json"
    path.write_text("old")
    os.chmod(path, 0o644)
    out = io.StringIO()

    call_command("export_content", str(path), stdout=out)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "without their signing secrets" in out.getvalue()
    text = path.read_text()
    assert endpoint.secret not in text
    call_command("export_content", str(path), "--include-secrets", stdout=io.StringIO())
    assert endpoint.secret in path.read_text()

    empty_database()
    report = import_(text)

    restored = Endpoint.objects.get(pk=endpoint.pk)
    assert "webhook endpoint(s) had no secret in the file and are disabled" in report
    assert not restored.enabled
    assert restored.secret.startswith("whsec_")
    assert restored.secret != endpoint.secret
