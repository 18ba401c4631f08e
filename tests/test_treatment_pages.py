"""Treatment pages: what a treatment is, and the live pages that present it, by line of therapy."""

import pytest
from django.core.cache import cache

from reviews import workflow
from tests.library import publish_condition, publish_neighbours, treatment
from tests.pagetext import visible_text


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


@pytest.fixture
def people(editor, physician_user, publisher):
    return editor, physician_user, publisher


def test_a_treatment_page_says_what_it_is_and_where_it_is_used(client, demo):
    """Clomipramine: its signed summary and the OCD page, as an escalation treatment."""
    response = client.get("/treatments/clomipramine/")
    text = visible_text(response.content.decode())
    assert response.status_code == 200
    assert "Clomipramine" in text
    assert "A tricyclic antidepressant" in text
    assert "Treatment-Resistant OCD Escalation treatment for this condition." in text
    assert 'href="/conditions/treatment-resistant-ocd/"' in response.content.decode()


def test_each_condition_shows_its_own_line_of_therapy(client, demo, people):
    """One treatment, two pages: escalation in one, investigational in the other."""
    publish_neighbours(people)
    text = visible_text(client.get("/treatments/ketamine-infusion/").content.decode())
    assert "Post-Traumatic Stress Disorder Investigational treatment" in text
    assert "Treatment-Resistant Depression Escalation treatment" in text


def test_a_ketamine_treatment_page_carries_the_regulatory_notice(client, people, settings):
    """Where the treatment is ketamine, the site-wide notice applies."""
    publish_neighbours(people)
    text = visible_text(client.get("/treatments/ketamine-infusion/").content.decode())
    assert settings.DEFAULT_REGULATORY_NOTICE in text


def test_condition_pages_link_each_treatment_to_its_page(client, demo):
    """The treatment's name on a condition page leads to the treatment page."""
    html = client.get("/conditions/treatment-resistant-ocd/").content.decode()
    assert '<a href="/treatments/exposure-response-prevention/">' in html


def test_a_treatment_no_live_page_presents_is_not_found(client, people):
    """A treatment only in drafts, or in no page at all, has no public page."""
    treatment("lithium", "Lithium")
    assert client.get("/treatments/lithium/").status_code == 404
    assert client.get("/treatments/no-such-thing/").status_code == 404


def test_unpublishing_the_only_page_takes_the_treatment_page_down(client, people, publisher):
    """The treatment page is derived from live pages only, and follows them at once."""
    drug = treatment("bupropion", "Bupropion", summary="An antidepressant.")
    page = publish_condition(people, "mdd", "Depression", treatments=[(drug, "first_line")])
    assert client.get("/treatments/bupropion/").status_code == 200
    workflow.unpublish(page, publisher, "Withdrawn.")
    assert client.get("/treatments/bupropion/").status_code == 404


def test_the_summary_comes_from_the_signed_page_not_the_draft_treatment(client, people):
    """Editing the treatment row does not reach the public until a page is signed again."""
    drug = treatment("sertraline", "Sertraline", summary="An SSRI.")
    publish_condition(people, "gad", "Anxiety", treatments=[(drug, "first_line")])
    drug.summary = "Unreviewed claim."
    drug.save()
    text = visible_text(client.get("/treatments/sertraline/").content.decode())
    assert "An SSRI." in text
    assert "Unreviewed claim." not in text
