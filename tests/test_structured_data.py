"""Structured data and metadata: what search engines read matches what visitors read."""

import json
import re

import pytest
from django.core.cache import cache

from conditions.structured_data import reviewer
from tests.conftest import edit
from tests.library import publish_condition
from tests.pagetext import visible_text

DEMO_URL = "/conditions/treatment-resistant-ocd/"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


def json_ld(html):
    blocks = JSON_LD.findall(html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.fixture
def demo_page(client, demo):
    html = client.get(DEMO_URL).content.decode()
    return html, json_ld(html), visible_text(html)


def test_the_page_is_one_medical_web_page_and_faq_page_node(demo_page):
    """One node carries both types, the page's address and its summary."""
    _, data, _ = demo_page
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == ["MedicalWebPage", "FAQPage"]
    assert data["url"] == "http://testserver/conditions/treatment-resistant-ocd/"
    assert data["description"].startswith("OCD that hasn't responded to SSRIs")


def test_the_review_stamp_is_last_reviewed_and_reviewed_by(demo_page):
    """lastReviewed and reviewedBy are the live sign-off, credentials as honorificSuffix; the
    Person is the reviewer's profile page."""
    _, data, text = demo_page
    assert data["lastReviewed"] == "2026-06-02"
    assert data["reviewedBy"] == {
        "@id": "http://testserver/reviewers/ben-soffer/",
        "url": "http://testserver/reviewers/ben-soffer/",
        "@type": "Person",
        "name": "Ben Soffer",
        "honorificPrefix": "Dr.",
        "honorificSuffix": "DO",
    }
    assert "Last reviewed by Dr. Ben Soffer, DO on June 2, 2026." in text


def test_the_condition_carries_codes_treatments_differentials_and_alternate_names(demo_page):
    """about is a MedicalCondition built from the codes, treatments, comparisons and phrases."""
    _, data, text = demo_page
    condition = data["about"]
    assert condition["@type"] == "MedicalCondition"
    assert {"@type": "MedicalCode", "codeValue": "6B20", "codingSystem": "ICD-11"} in condition[
        "code"
    ]
    assert {"@type": "MedicalCode", "codeValue": "300.3", "codingSystem": "DSM-5"} in condition[
        "code"
    ]
    therapies = [t["name"] for t in condition["possibleTreatment"]]
    assert therapies[0] == "Exposure & response prevention (ERP)"
    assert all(t["@type"] == "MedicalTherapy" for t in condition["possibleTreatment"])
    assert [d["diagnosis"]["name"] for d in condition["differentialDiagnosis"]] == [
        "OCD",
        "Body dysmorphic disorder",
        "Generalized anxiety disorder",
    ]
    assert "does ketamine help OCD" in condition["alternateName"]
    for visible in [*therapies, *condition["alternateName"], "ICD-11 6B20", "DSM-5 300.3"]:
        assert visible in text


def test_citations_are_scholarly_articles_with_pmid_and_doi(demo_page):
    """Each cited reference is a ScholarlyArticle with its PMID and DOI, both on the page."""
    html, data, text = demo_page
    first = data["citation"][0]
    assert first["@type"] == "ScholarlyArticle"
    assert first["headline"].startswith("Randomized controlled crossover trial of ketamine")
    assert {"@type": "PropertyValue", "propertyID": "PMID", "value": "23783065"} in first[
        "identifier"
    ]
    assert {
        "@type": "PropertyValue",
        "propertyID": "DOI",
        "value": "10.1038/npp.2013.150",
    } in first["identifier"]
    assert len(data["citation"]) == 3
    assert first["headline"] in text
    assert "doi:10.1038/npp.2013.150" in text
    assert 'href="https://doi.org/10.1038/npp.2013.150"' in html


def test_the_faqs_are_the_main_entity_questions_with_their_visible_answers(demo_page):
    """mainEntity lists every FAQ as a Question with an accepted Answer, as shown."""
    _, data, text = demo_page
    questions = data["mainEntity"]
    assert len(questions) == 4
    assert questions[0]["@type"] == "Question"
    assert questions[0]["name"] == "Does ketamine treat OCD?"
    assert questions[0]["acceptedAnswer"]["@type"] == "Answer"
    for question in questions:
        assert question["name"] in text
        assert question["acceptedAnswer"]["text"] in text


def test_no_text_can_close_the_script_element(client, editor, physician_user, publisher):
    """An editor's </script> or <!-- in any field stays inert inside the JSON-LD."""
    hostile = "Mania </script><script>alert(1)</script> <!-- & more"
    publish_condition(
        (editor, physician_user, publisher),
        "hostile",
        hostile,
        summary=hostile,
        phrases=[hostile],
    )
    html = client.get("/conditions/hostile/").content.decode()
    block = JSON_LD.findall(html)[0]
    assert "<" not in block
    assert ">" not in block
    assert json_ld(html)["name"] == hostile
    assert "<script>alert(1)" not in html


def test_title_description_canonical_and_open_graph(demo_page):
    """The head names the page for search results and link previews."""
    html, _, _ = demo_page
    canonical = "http://testserver/conditions/treatment-resistant-ocd/"
    assert "<title>Treatment-Resistant OCD · Tovani Clinical Library</title>" in html
    assert '<meta name="description" content="OCD that hasn&#x27;t responded' in html
    assert f'<link rel="canonical" href="{canonical}">' in html
    assert f'<meta property="og:url" content="{canonical}">' in html
    assert '<meta property="og:title" content="Treatment-Resistant OCD">' in html
    assert '<meta property="og:type" content="article">' in html


def test_site_url_sets_the_canonical_origin(client, demo, settings):
    """Behind a proxy or CDN, canonical addresses use SITE_URL."""
    settings.SITE_URL = "https://library.example"
    html = client.get(DEMO_URL).content.decode()
    assert '<link rel="canonical" href="https://library.example/conditions/' in html
    assert json_ld(html)["url"].startswith("https://library.example/")


def test_the_reviewer_is_read_from_the_signature_as_signed():
    """Credentials with a comma stay whole; a name without Dr. has no prefix."""
    assert reviewer("Dr. Ada Lovelace, MD, PhD") == {
        "@type": "Person",
        "name": "Ada Lovelace",
        "honorificPrefix": "Dr.",
        "honorificSuffix": "MD, PhD",
    }
    assert reviewer("Sam Lee, NP") == {
        "@type": "Person",
        "name": "Sam Lee",
        "honorificSuffix": "NP",
    }


def test_the_site_wide_regulatory_notice_shows_when_the_page_has_none(demo_page, settings):
    """A blank notice means the default: ketamine is not FDA-approved for most psychiatric uses."""
    _, _, text = demo_page
    assert settings.DEFAULT_REGULATORY_NOTICE in text
    assert "not FDA-approved for most psychiatric uses" in text


def test_a_page_of_its_own_notice_shows_it_instead_and_needs_a_new_sign_off(
    client, editor, physician_user, publisher, settings
):
    """The notice is part of the signed document: editing it changes the digest."""
    from reviews import workflow

    page = publish_condition(
        (editor, physician_user, publisher),
        "insomnia",
        "Insomnia",
        regulatory_notice="Ketamine is not used for insomnia.",
    )
    text = visible_text(client.get("/conditions/insomnia/").content.decode())
    assert "Ketamine is not used for insomnia." in text
    assert settings.DEFAULT_REGULATORY_NOTICE not in text
    edit(page, editor, regulatory_notice="A new notice.")
    assert workflow.state(page) == workflow.State.LIVE_WITH_UNREVIEWED_CHANGES
