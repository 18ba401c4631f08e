"""The demo library: the real Treatment-Resistant OCD page, its references and its reviewer.

Loaded through the real workflow: an editor's revision, the physician's sign-off on the seed
page's review date, and a publisher's publish. Running it again changes nothing that is already
in place.
"""

import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from conditions.models import Condition, Treatment
from editorial.demo import save_statements
from references.models import Reference
from reviews import clock, workflow
from reviews.models import Physician

DEMO_FILE = Path(__file__).resolve().parent / "demo" / "treatment-resistant-ocd.json"

DEMO_LOGINS = {
    "editor": ("Editors", "tovani-editor"),
    "ben.soffer": ("Physicians", "tovani-physician"),
    "publisher": ("Publishers", "tovani-publisher"),
}
# The administrator (a superuser: users, groups, partners and their API keys). Development only:
# it is created only while DEBUG is on, and loses its password when the demo is loaded without.
DEMO_ADMIN = ("admin", "tovani-admin")

FIRST_PUBLICATION = "First published."
# A demo page already live whose seed changed with a release is signed and published again.
DEMO_UPDATED = "Updated to this release's demo content."

CONDITION_PARTS = {
    "codes": ("codes", lambda item: item),
    "search_phrases": ("search_phrases", lambda phrase: {"phrase": phrase}),
    "key_points": ("key_points", lambda text: {"text": text}),
    "comparisons": ("comparisons", lambda item: item),
    "faqs": ("faqs", lambda item: item),
}


@dataclass
class DemoResult:
    condition: Condition
    signed: bool
    published: bool
    logins: dict


def load_demo(path=DEMO_FILE) -> DemoResult:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    users = _demo_users(data["physician"])
    physician_user = users["ben.soffer"]
    with transaction.atomic():
        with reversion.create_revision():
            reversion.set_user(users["editor"])
            reversion.set_comment("Loaded the demo library.")
            _physician(physician_user, data["physician"])
            for fields in data["references"]:
                _upsert(Reference, "citekey", fields)
            for fields in data["treatments"]:
                _upsert(Treatment, "slug", fields)
            condition = _condition(data["condition"])
        review_date = _review_date(data["signed_at"])
        signed = _sign(condition, physician_user, review_date, _change_summary(condition))
        published = _publish(condition, users["publisher"])
    _demo_admin()
    logins = {}
    if settings.DEBUG:
        logins = {name: password for name, (_, password) in DEMO_LOGINS.items()}
        logins[DEMO_ADMIN[0]] = DEMO_ADMIN[1]
    return DemoResult(condition, signed, published, logins)


def _demo_admin() -> None:
    username, password = DEMO_ADMIN
    model = get_user_model()
    if not settings.DEBUG:
        for user in model.objects.filter(username=username, is_superuser=True):
            user.set_unusable_password()
            user.save()
        return
    user, _ = model.objects.get_or_create(username=username)
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()


def load_statements(path=DEMO_FILE) -> int:
    """The demo editorial policy and disclosures, signed off by the demo physician on the
    page's review date and published; after load_demo(). Returns how many were published."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    users = _demo_users(data["physician"])
    review_date = _review_date(data["signed_at"])
    published = 0
    with transaction.atomic():
        for statement in save_statements(users["editor"]):
            _sign(statement, users["ben.soffer"], review_date, _change_summary(statement))
            published += _publish(statement, users["publisher"])
    return published


def _demo_users(physician_data):
    """The demo accounts; they can log in only while DEBUG is on."""
    users = {}
    for username, (group_name, password) in DEMO_LOGINS.items():
        user, _ = get_user_model().objects.get_or_create(username=username)
        if username == "ben.soffer":
            user.first_name = physician_data["first_name"]
            user.last_name = physician_data["last_name"]
            user.email = physician_data["email"]
        else:
            # An address on file, so the console shows every hand-off's e-mail in development.
            user.email = user.email or f"{username}@tovani.example"
        user.is_staff = True
        if settings.DEBUG:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=group_name))
        users[username] = user
    return users


def _physician(user, fields):
    Physician.objects.update_or_create(
        user=user,
        defaults={
            "display_name": fields["display_name"],
            "credentials": fields["credentials"],
            "is_active": True,
        },
    )


def _upsert(model, key, fields):
    obj = model.objects.filter(**{key: fields[key]}).first() or model(**{key: fields[key]})
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


def _condition(data) -> Condition:
    scalar = {
        key: value
        for key, value in data.items()
        if key not in CONDITION_PARTS and key != "treatments"
    }
    condition = _upsert(Condition, "slug", scalar)
    for key, (accessor, to_fields) in CONDITION_PARTS.items():
        manager = getattr(condition, accessor)
        manager.all().delete()
        for order, item in enumerate(data[key], start=1):
            _save_part(manager.model(condition=condition, sort_order=order, **to_fields(item)))
    condition.condition_treatments.all().delete()
    for order, item in enumerate(data["treatments"], start=1):
        _save_part(
            condition.condition_treatments.model(
                condition=condition,
                sort_order=order,
                treatment=Treatment.objects.get(slug=item["treatment"]),
                line_of_therapy=item["line_of_therapy"],
                description=item["description"],
            )
        )
    condition.attach_cited_references()
    return condition


def _save_part(part):
    part.full_clean()
    part.save()


def _review_date(recorded: str) -> datetime:
    """The seed page's review date, or now if that review has since expired."""
    signed_at = datetime.fromisoformat(recorded)
    if signed_at + timedelta(days=settings.REVIEW_INTERVAL_DAYS) <= clock.now():
        return clock.now()
    return signed_at


def _change_summary(page) -> str:
    return FIRST_PUBLICATION if workflow.live_publication(page) is None else DEMO_UPDATED


def _sign(condition, physician_user, signed_at, change_summary="") -> bool:
    _, digest = workflow.current_document(condition)
    if workflow.approved_sign_off(condition, digest) is not None:
        return False
    # The physician account re-enters its password like anyone signing; outside DEBUG the
    # account has no usable password, so a one-time secret stands in for this one signature.
    password = DEMO_LOGINS["ben.soffer"][1] if settings.DEBUG else secrets.token_urlsafe(32)
    if not settings.DEBUG:
        physician_user.set_password(password)
    with clock.frozen_at(signed_at):
        workflow.sign_off(
            condition,
            physician_user,
            password,
            note="Reviewed the full page, including the evidence summary and references.",
            change_summary=change_summary,
        )
    if not settings.DEBUG:
        physician_user.set_unusable_password()
        physician_user.save()
    return True


def _publish(condition, publisher) -> bool:
    _, digest = workflow.current_document(condition)
    live = workflow.live_publication(condition)
    if live is not None and live.source_digest == digest:
        return False
    workflow.publish(condition, publisher)
    return True


# Other apps add to the demo library (the Spanish version of the page): each step loads its part
# and returns (what to tell the newcomer, its demo logins). conditions imports none of them.
_demo_steps = []


def add_to_demo(step) -> None:
    _demo_steps.append(step)


def load_demo_steps() -> list[tuple[str, dict]]:
    return [step() for step in _demo_steps]
