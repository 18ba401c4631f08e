"""What a restore gives back only when the operator asks: passwords, superusers, secrets.

A backup travels: whoever holds the file must not gain a way in from it. Restored accounts get
an unusable password unless the operator keeps the file's hashes (--keep-passwords), and no
account is restored as a superuser unless the operator says so (--keep-superusers). A webhook
endpoint exported without its signing secret is restored disabled, with a new secret, until an
administrator gives its partner the new secret and enables it.
"""

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from reviews.models import Publication, SigningKey
from webhooks.models import new_secret

USERS, ENDPOINTS = "auth.user", "webhooks.endpoint"


def disarm(objects: list[dict], *, keep_passwords: bool, keep_superusers: bool) -> list[str]:
    """Take working passwords and superuser status out of the file's accounts, in place;
    returns what the operator is told."""
    users = [obj["fields"] for obj in objects if obj["model"] == USERS]
    notes = []
    if not keep_passwords and users:
        for fields in users:
            fields["password"] = make_password(None)
        notes.append(
            f"{len(users)} account(s) restored without a working password: each needs a new "
            "one (`manage.py changepassword NAME`); --keep-passwords keeps the file's."
        )
    superusers = [fields["username"] for fields in users if fields.get("is_superuser")]
    if superusers and not keep_superusers:
        for fields in users:
            fields["is_superuser"] = False
        notes.append(
            f"Not restored as superusers: {', '.join(superusers)} (--keep-superusers restores "
            "them as superusers)."
        )
    return notes


def without_secrets(objects: list[dict]) -> list[str]:
    """Endpoints exported without their secret: a new one, and disabled until shared."""
    bare = [
        obj["fields"]
        for obj in objects
        if obj["model"] == ENDPOINTS and not obj["fields"].get("secret")
    ]
    for fields in bare:
        fields["secret"] = new_secret()
        fields["enabled"] = False
        fields["disabled_at"] = timezone.now().isoformat()
    if not bare:
        return []
    return [
        f"{len(bare)} webhook endpoint(s) had no secret in the file and are disabled: give each "
        "partner its new secret (the endpoint's page in the admin), then enable it."
    ]


def record_keys_used(keys: dict[str, str]) -> None:
    """Every trusted key a restored publication is signed with is on record, so the site
    serves it and verify_library checks against it."""
    used = set(Publication.objects.exclude(key_id="").values_list("key_id", flat=True))
    known = set(SigningKey.objects.values_list("kid", flat=True))
    SigningKey.objects.bulk_create(
        SigningKey(kid=kid, x=keys[kid]) for kid in sorted(used - known) if kid in keys
    )
