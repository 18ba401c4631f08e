"""Partners in Spanish: the API answers ?lang=es and Accept-Language with the signed Spanish
version and says Content-Language; the Infobutton lookup honours
informationRecipient.languageCode.c=es; the manifest lists both languages; the Spanish
publication is signed and verifies like the English one."""

import pytest

from conditions.models import ClinicalCode
from reviews import verification, workflow
from reviews.models import SigningKey
from reviews.signatures import signature_problems
from tests.conftest import PASSWORD
from tests.test_translation_staleness import republish_answer
from tests.translating import english_page, spanish_physician, translated_page, translator_user

DETAIL = "/api/v1/conditions/test-condition/"
LOOKUP = "/api/v1/lookup/"
INFOBUTTON_ES = {
    "mainSearchCriteria.v.c": "F42.2",
    "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.90",
    "informationRecipient.languageCode.c": "es",
    # The Spanish answer is the API's flat JSON; the Atom and feed forms are English still.
    "knowledgeResponseType": "application/json",
    "shape": "flat",
}


@pytest.fixture
def spanish(editor, physician_user, publisher):
    english = english_page(editor, physician_user, publisher)
    ClinicalCode.objects.create(condition=english, system="ICD-10-CM", code="F42.2")
    workflow.sign_off(english, physician_user, PASSWORD)
    workflow.publish(english, publisher)
    translation = translated_page(english, translator_user())
    workflow.sign_off(translation, spanish_physician(), PASSWORD)
    publication = workflow.publish(translation, publisher)
    return english, translation, publication


def test_lang_es_answers_the_signed_spanish_version(api, spanish):
    """?lang=es: the Spanish title, its language, the English it translates, its signature."""
    _, _, publication = spanish
    response = api.get(DETAIL, {"lang": "es"})
    assert response.status_code == 200, response.content
    assert response["Content-Language"] == "es"
    body = response.json()
    assert body["title"] == "Trastorno de prueba"
    assert body["language"] == "es"
    assert body["available_languages"] == ["en", "es"]
    assert body["url"] == "http://testserver/es/conditions/test-condition/"
    assert body["review"]["reviewed_by"] == "Dr. Lucía García Demo, MD"
    assert body["review"]["verification"]["signature"] == publication.signature
    assert body["stale"] is False


def test_accept_language_asks_for_spanish_and_english_stays_the_default(api, spanish):
    """Accept-Language: es-US,es;q=0.9 answers Spanish; no preference answers English."""
    spanish_answer = api.get(DETAIL, HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9,en;q=0.5")
    assert spanish_answer["Content-Language"] == "es"
    assert spanish_answer.json()["title"] == "Trastorno de prueba"
    english_answer = api.get(DETAIL)
    assert english_answer["Content-Language"] == "en"
    assert english_answer.json()["title"] == "Test Condition"
    assert "Accept-Language" in english_answer["Vary"]


def test_a_page_without_a_spanish_version_answers_english(api, editor, physician_user, publisher):
    """Spanish asked, none signed: the English answer, saying so."""
    english_page(editor, physician_user, publisher)
    response = api.get(DETAIL, {"lang": "es"})
    assert response["Content-Language"] == "en"
    assert response.json()["title"] == "Test Condition"


@pytest.mark.parametrize("asked", ["fr", "ES-us", ""])
def test_a_language_the_library_does_not_publish_in_is_refused_by_name(api, spanish, asked):
    """?lang= takes en or es, as the API's description says; anything else is a 400 naming it."""
    response = api.get(DETAIL, {"lang": asked})

    assert response.status_code == 400
    assert response.json()["parameters"]["lang"] == [
        'Give "en" or "es": the languages pages are published in.'
    ]


def test_the_infobutton_language_code_returns_the_spanish_page(api, spanish):
    """informationRecipient.languageCode.c=es: the Spanish title, address and stamp."""
    response = api.get(LOOKUP, INFOBUTTON_ES)
    assert response.status_code == 200, response.content
    assert response["Content-Language"] == "es"
    (result,) = response.json()["results"]
    assert result["title"] == "Trastorno de prueba"
    assert result["language"] == "es"
    assert result["url"] == "http://testserver/es/conditions/test-condition/"
    assert result["review"]["stamp"] == "Revisado por Dr. Lucía García Demo, MD"


def test_the_infobutton_says_when_the_spanish_page_is_stale(
    api, spanish, editor, physician_user, publisher
):
    """The last signed Spanish version is given, marked stale once the English moved on."""
    english, _, _ = spanish
    republish_answer(
        english, editor, physician_user, publisher, "Blood pressure is watched closely."
    )
    (result,) = api.get(LOOKUP, INFOBUTTON_ES).json()["results"]
    assert result["title"] == "Trastorno de prueba"
    assert result["stale"] is True


def test_the_manifest_lists_both_languages(api, spanish):
    """Each entry names its languages and the live Spanish publication to reconcile by."""
    _, _, publication = spanish
    (entry,) = api.get("/api/v1/manifest/").json()["results"]
    assert entry["available_languages"] == ["en", "es"]
    assert entry["translations"]["es"]["digest"] == publication.digest


def test_the_spanish_publication_is_signed_and_verifies(spanish):
    """The same Ed25519 signature and verification as any publication."""
    _, _, publication = spanish
    keys = dict(SigningKey.objects.values_list("kid", "x"))
    assert publication.signature
    assert signature_problems(publication, keys) == []
    assert verification.signature_problems() == []


def test_the_api_still_needs_a_key_in_spanish(client, spanish):
    """The language never opens a way around the partner's key."""
    assert client.get(DETAIL, {"lang": "es"}).status_code == 401
