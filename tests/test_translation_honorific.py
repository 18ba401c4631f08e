"""A Spanish stamp says "Dra." for a physician whose profile asks for it; the signed record,
the English page's stamp and the digests stay as signed."""

import pytest

from reviews import workflow
from reviews.models import Physician
from tests.conftest import PASSWORD
from tests.pagetext import visible_text
from tests.translating import english_page, spanish_physician, translated_page, translator_user

URL = "/es/conditions/test-condition/"


@pytest.fixture
def translation(editor, physician_user, publisher):
    english = english_page(editor, physician_user, publisher)
    return translated_page(english, translator_user())


def publish_signed_by(translation, honorific, publisher):
    reviewer = spanish_physician()
    Physician.objects.filter(user=reviewer).update(spanish_honorific=honorific)
    workflow.sign_off(translation, reviewer, PASSWORD)
    return workflow.publish(translation, publisher)


def test_the_default_honorific_is_dr(client, translation, publisher):
    publish_signed_by(translation, "Dr.", publisher)
    assert Physician.objects.get(display_name="Lucía García Demo").spanish_honorific == "Dr."
    assert "Revisado por Dr. Lucía García Demo, MD el " in visible_text(
        client.get(URL).content.decode()
    )


def test_a_spanish_stamp_says_dra_when_the_profile_asks(client, translation, publisher):
    publish_signed_by(translation, "Dra.", publisher)
    html = client.get(URL).content.decode()
    text = visible_text(html)
    assert "Revisado por Dra. Lucía García Demo, MD el " in text
    assert "Dr. Lucía" not in text
    assert '"name": "Dra. Lucía García Demo, MD"' in html  # the JSON-LD reviewer
    assert "Revisado por Dra. Lucía García Demo, MD el " in visible_text(
        client.get("/es/conditions/").content.decode()
    )


def test_the_signed_record_and_the_english_page_keep_dr(client, translation, publisher):
    english = translation.english
    english_publication = workflow.live_publication(english)
    english_stamp = visible_text(client.get("/conditions/test-condition/").content.decode())
    publication = publish_signed_by(translation, "Dra.", publisher)
    assert publication.sign_off.signature == "Dr. Lucía García Demo, MD"
    assert workflow.live_publication(english).digest == english_publication.digest
    again = visible_text(client.get("/conditions/test-condition/").content.decode())
    # The English page gains only its "Leer en español" link.
    assert again.replace(" Leer en español", "") == english_stamp
    assert "Dra." not in again
