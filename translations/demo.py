"""The demo's Spanish page: the OCD page translated for the demo, signed off by a fictional
physician who reviews in Spanish, so a newcomer sees /es/… after make run. Idempotent."""

import json
import secrets
from pathlib import Path

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from conditions.models import Condition
from reviews import workflow
from reviews.models import Physician
from translations import editing
from translations.models import Translation

DEMO_FILE = Path(__file__).parent / "demo" / "treatment-resistant-ocd.es.json"
# Demo logins, usable only while DEBUG is on.
DEMO_LOGINS = {"translator": "tovani-translator", "elena.demo": "tovani-physician-es"}


def load_spanish_demo(path=DEMO_FILE) -> Translation:
    """After load_demo: the demo's publisher publishes the Spanish page."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    publisher = get_user_model().objects.get(username="publisher")
    english = Condition.objects.get(slug=data["english_slug"])
    translator = _user(data["translator"], "Translators")
    physician = _user(data["physician"]["username"], "Physicians")
    with reversion.create_revision():
        Physician.objects.update_or_create(
            user=physician,
            defaults={key: value for key, value in data["physician"].items() if key != "username"},
        )
    translation = Translation.objects.filter(
        english_type=ContentType.objects.get_for_model(Condition),
        english_id=english.pk,
        language="es",
    ).first() or editing.start_translation(english, "es", translator)
    for segment in translation.ordered_segments():
        text = data["segments"].get(segment.label)
        if text is not None and (segment.is_missing or segment.is_stale or segment.text != text):
            editing.write_segment(segment, text, translator)
    _, digest = workflow.current_document(translation)
    if workflow.approved_sign_off(translation, digest) is None:
        password = DEMO_LOGINS["elena.demo"] if settings.DEBUG else secrets.token_urlsafe(32)
        if not settings.DEBUG:
            physician.set_password(password)
            physician.save()
        workflow.sign_off(
            translation,
            physician,
            password,
            note="Checked each segment against the English for accuracy and cultural fit.",
        )
        if not settings.DEBUG:
            physician.set_unusable_password()
            physician.save()
    live = workflow.live_publication(translation)
    if live is None or live.source_digest != digest:
        workflow.publish(translation, publisher)
    return translation


def _user(username, group):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff = True
    if settings.DEBUG:
        user.set_password(DEMO_LOGINS[username])
    else:
        user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=group))
    return user


def demo_step() -> tuple[str, dict]:
    """The Spanish page, as load_demo's added step (conditions.demo_content.add_to_demo)."""
    spanish = load_spanish_demo()
    return f"Spanish page {spanish.public_path}: signed off and published.", DEMO_LOGINS
