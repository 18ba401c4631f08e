"""Partners in Spanish: the API answers ?lang=es and Accept-Language with the signed Spanish
version and says Content-Language; the Infobutton lookup honours
informationRecipient.languageCode.c=es; the manifest lists both languages; the Spanish
publication is signed and verifies like the English one."""

import pytest
from defusedxml import ElementTree

from conditions.models import ClinicalCode
from reviews import verification, workflow
from reviews.models import SigningKey
from reviews.signatures import signature_problems
from tests.conftest import PASSWORD, answer_json
from tests.test_translation_staleness import republish_answer
from tests.translating import english_page, spanish_physician, translated_page, translator_user

DETAIL = "/api/v1/conditions/test-condition/"
LOOKUP = "/api/v1/lookup/"
INFOBUTTON_ES = {
    "mainSearchCriteria.v.c": "F42.2",
    "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.90",
    "informationRecipient.languageCode.c": "es",
    "knowledgeResponseType": "application/json",
    "shape": "flat",
}
# The Infobutton form's default answer: MedlinePlus's Atom feed.
INFOBUTTON_ATOM_ES = {
    key: value
    for key, value in INFOBUTTON_ES.items()
    if key not in ("knowledgeResponseType", "shape")
}
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


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


def test_the_spanish_answer_keeps_the_partners_ratelimit_fields(api, spanish):
    """Rewritten in Spanish, the detail and the manifest still say the partner's standing."""
    for path, query in ((DETAIL, {"lang": "es"}), ("/api/v1/manifest/", {})):
        response = api.get(path, query)
        assert response.status_code == 200
        assert response["RateLimit-Policy"].startswith('"partner";q=')
        assert response["RateLimit"].startswith('"partner";r=')


def test_the_spanish_detail_writes_its_times_in_utc_with_z(api, spanish):
    """One date format everywhere, as the English detail writes it."""
    body = api.get(DETAIL, {"lang": "es"}).json()
    times = [
        body["review"]["reviewed_at"],
        body["review"]["published_at"],
        body["translation_of"]["published_at"],
    ]
    assert all(time.endswith("Z") and "+" not in time for time in times), times


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
    (entry,) = answer_json(api.get("/api/v1/manifest/"))["results"]
    assert entry["available_languages"] == ["en", "es"]
    assert entry["translations"]["es"]["digest"] == publication.digest


def test_the_manifests_etag_moves_when_a_translation_goes_live(
    api, editor, physician_user, publisher
):
    """A partner revalidating the manifest gets the new translation, not a 304."""
    english = english_page(editor, physician_user, publisher)
    before = api.get("/api/v1/manifest/")
    assert "translations" not in answer_json(before)["results"][0]
    translation = translated_page(english, translator_user())
    workflow.sign_off(translation, spanish_physician(), PASSWORD)
    workflow.publish(translation, publisher)
    after = api.get("/api/v1/manifest/", headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert answer_json(after)["results"][0]["available_languages"] == ["en", "es"]
    again = api.get("/api/v1/manifest/", headers={"if-none-match": after["ETag"]})
    assert again.status_code == 304


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


def atom(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)


def test_the_infobutton_atom_feed_answers_with_the_spanish_page(api, spanish):
    """The default (MedlinePlus's Atom): the entry in Spanish, xml:lang and hreflang es, its
    link to /es/…, the English page as a second alternate, the Spanish reviewer as author."""
    response = api.get(LOOKUP, INFOBUTTON_ATOM_ES)
    feed = atom(response)
    assert response["Content-Language"] == "es"
    assert feed.get(XML_LANG) == "es"
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.get(XML_LANG) == "es"
    assert entry.findtext(f"{ATOM}title") == "Trastorno de prueba"
    assert entry.findtext(f"{ATOM}summary") == "Una página que usan las pruebas."
    spanish_url = "http://testserver/es/conditions/test-condition/"
    assert entry.findtext(f"{ATOM}id") == spanish_url
    links = [(link.get("href"), link.get("hreflang")) for link in entry.findall(f"{ATOM}link")]
    assert links == [(spanish_url, "es"), ("http://testserver/conditions/test-condition/", "en")]
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Dr. Lucía García Demo, MD"
    # The feed's own parts stay as the English answer has them.
    assert feed.findtext(f"{ATOM}rights")
    assert [c.get("term") for c in feed.findall(f"{ATOM}category")][:2] == [
        "F42.2",
        "2.16.840.1.113883.6.90",
    ]


def test_the_atom_feed_stays_english_without_a_spanish_version_or_spanish_asked(
    api, spanish, editor, physician_user, publisher
):
    """English asked: English. Spanish asked of a page with no Spanish version: English, saying
    so in Content-Language."""
    english = atom(
        api.get(LOOKUP, {**INFOBUTTON_ATOM_ES, "informationRecipient.languageCode.c": "en"})
    )
    assert english.get(XML_LANG) == "en"
    (entry,) = english.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Test Condition"
    assert entry.find(f"{ATOM}link").get("hreflang") == "en"
    other = english_page(editor, physician_user, publisher, slug="other-condition")
    ClinicalCode.objects.create(condition=other, system="ICD-10-CM", code="F99")
    workflow.sign_off(other, physician_user, PASSWORD)
    workflow.publish(other, publisher)
    response = api.get(LOOKUP, {**INFOBUTTON_ATOM_ES, "mainSearchCriteria.v.c": "F99"})
    feed = atom(response)
    assert response["Content-Language"] == "en"
    assert feed.get(XML_LANG) == "en"
    assert feed.find(f"{ATOM}entry").findtext(f"{ATOM}title") == "Test Condition"


def test_the_feed_in_json_answers_with_the_spanish_page(api, spanish):
    """knowledgeResponseType=application/json (MedlinePlus's feed written as JSON)."""
    response = api.get(LOOKUP, {**INFOBUTTON_ATOM_ES, "knowledgeResponseType": "application/json"})
    assert response.status_code == 200, response.content
    assert response["Content-Language"] == "es"
    feed = response.json()["feed"]
    assert feed["lang"] == "es"
    (entry,) = feed["entry"]
    assert entry["lang"] == "es"
    assert entry["title"]["_value"] == "Trastorno de prueba"
    assert entry["summary"]["_value"] == "Una página que usan las pruebas."
    assert [link["hreflang"] for link in entry["link"]] == ["es", "en"]
    assert entry["link"][0]["href"] == "http://testserver/es/conditions/test-condition/"


def test_the_spanish_atom_answer_has_its_own_etag(api, spanish):
    """Revalidating the Spanish feed answers 304; the English feed's ETag is another."""
    spanish_answer = api.get(LOOKUP, INFOBUTTON_ATOM_ES)
    english_answer = api.get(
        LOOKUP, {**INFOBUTTON_ATOM_ES, "informationRecipient.languageCode.c": "en"}
    )
    assert spanish_answer["ETag"] != english_answer["ETag"]
    again = api.get(LOOKUP, INFOBUTTON_ATOM_ES, HTTP_IF_NONE_MATCH=spanish_answer["ETag"])
    assert again.status_code == 304
