"""Integrity of a page's references: cited by, unused or missing references, retractions,
and the AMA reference list the page and the document carry."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from references.formatting import ama_citation, reference_entry
from references.models import Reference
from references.usage import citations_of
from reviews import workflow
from reviews.errors import WorkflowError
from tests.conftest import PASSWORD, add_key_point, make_condition, make_reference

NOTICE = "Retracted by the journal on March 3, 2024: the data were fabricated."
EIGHT_AUTHORS = (
    "Rodriguez CI, Kegeles LS, Levinson A, Feng T, Marcus SM, Vermes D, Flood P, Simpson HB"
)


@pytest.fixture
def page(editor):
    """A page citing bloch2012 in its definition and a key point, with adams2017 attached only."""
    bloch, adams = make_reference("bloch2012"), make_reference("adams2017")
    condition = make_condition(editor, clinical_definition="Defined [@bloch2012].")
    add_key_point(condition, "Fast [@bloch2012].")
    condition.references.add(bloch, adams)
    return condition


def retract(citekey, notice=NOTICE):
    reference = Reference.objects.get(citekey=citekey)
    reference.retracted, reference.retraction_notice = True, notice
    reference.full_clean()
    reference.save()
    return reference


def test_cited_by_lists_each_page_and_field_citing_a_reference(page):
    """The definition and the key point of the page both cite bloch2012."""
    assert [(c.page, c.field) for c in citations_of("bloch2012")] == [
        ("Test Condition", "Clinical definition"),
        ("Test Condition", "Key point “Fast [@bloch2012].”, text"),
    ]
    assert citations_of("adams2017") == []


def test_the_reference_admin_shows_where_it_is_cited(page, admin_client):
    """The change form lists the citing page, linked to its editor, and the field."""
    reference = Reference.objects.get(citekey="bloch2012")
    html = admin_client.get(f"/admin/references/reference/{reference.pk}/change/").content.decode()
    link = f'<a href="/admin/conditions/condition/{page.pk}/change/">Test Condition</a>'
    assert f"<li>{link}: Clinical definition</li>" in html


def test_a_reference_attached_but_never_cited_is_a_warning_not_a_blocker(page):
    """adams2017 is attached and uncited: the reviewer is told; publishing is not refused."""
    document = page.build_document()
    assert workflow.content_warnings(page, document) == [
        "@adams2017 is attached to the page, but the page never cites it."
    ]
    assert workflow.content_problems(page, document) == []


def test_the_condition_editor_shows_the_reference_check(page, admin_client):
    """The condition's change form shows the unused reference to the editor."""
    html = admin_client.get(f"/admin/conditions/condition/{page.pk}/change/").content.decode()
    assert "@adams2017 is attached to the page, but the page never cites it." in html


def test_publishing_a_page_citing_a_missing_reference_is_refused(page, physician_user, publisher):
    """Unknown-key refusal: a cited reference deleted after sign-off blocks publishing."""
    workflow.sign_off(page, physician_user, PASSWORD)
    Reference.objects.get(citekey="bloch2012").delete()
    message = "The page cites @bloch2012, which is not in the reference library."
    assert message in workflow.publish_blockers(page, publisher)
    with pytest.raises(WorkflowError, match=message):
        workflow.publish(page, publisher)


def test_submitting_a_page_citing_a_missing_reference_is_refused(page, editor):
    """The same message stops the page from going to review."""
    Reference.objects.get(citekey="bloch2012").delete()
    with pytest.raises(WorkflowError, match="cites @bloch2012, which is not in the reference"):
        workflow.submit_for_review(page, editor)


def test_publishing_a_page_citing_a_retracted_reference_is_refused_with_the_notice(
    page, physician_user, publisher
):
    """Retraction refusal: signed off, then the reference is retracted; publish says why."""
    workflow.sign_off(page, physician_user, PASSWORD)
    retract("bloch2012")
    message = (
        "The page cites @bloch2012 (Rodriguez CI 2013), which has been retracted: "
        f"{NOTICE} Remove or replace the citation."
    )
    assert workflow.publish_blockers(page, publisher) == [message]
    with pytest.raises(WorkflowError) as error:
        workflow.publish(page, publisher)
    assert str(error.value) == message
    assert workflow.live_publication(page) is None


def test_a_page_citing_a_retracted_reference_cannot_be_signed_off(page, physician_user):
    """The physician sees the retraction notice instead of signing."""
    retract("bloch2012")
    with pytest.raises(WorkflowError, match="retracted: Retracted by the journal"):
        workflow.sign_off(page, physician_user, PASSWORD)


def test_a_retracted_reference_that_is_only_attached_does_not_block(
    page, physician_user, publisher
):
    """Retracting a reference the text does not cite leaves the page publishable."""
    retract("adams2017")
    workflow.sign_off(page, physician_user, PASSWORD)
    assert workflow.publish(page, publisher).digest


@pytest.mark.django_db
def test_a_retracted_reference_needs_a_notice():
    """full_clean() asks for the notice, and the database refuses a retraction without one."""
    reference = make_reference("bloch2012")
    reference.retracted = True
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert error.value.message_dict == {
        "retraction_notice": ["Say what was retracted, when and by whom."]
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        reference.save()


@pytest.mark.django_db
def test_the_ama_citation_lists_three_authors_and_et_al_beyond_six():
    """AMA 11th edition: more than 6 authors are cut to 3 and “et al”."""
    reference = make_reference(
        "rodriguez2013",
        authors=EIGHT_AUTHORS,
        title="Randomized controlled crossover trial of ketamine in obsessive-compulsive "
        "disorder: proof-of-concept",
        volume="38",
        issue="12",
        pages="2475-2483",
        doi="10.1038/npp.2013.150",
    )
    assert ama_citation(reference) == (
        "Rodriguez CI, Kegeles LS, Levinson A, et al. Randomized controlled crossover trial of "
        "ketamine in obsessive-compulsive disorder: proof-of-concept. Neuropsychopharmacology. "
        "2013;38(12):2475-2483. doi:10.1038/npp.2013.150"
    )


@pytest.mark.django_db
def test_the_ama_citation_lists_all_of_six_authors():
    """Six authors are all named."""
    six = ", ".join(EIGHT_AUTHORS.split(", ")[:6])
    reference = make_reference("rodriguez2013", authors=six, title="A title")
    assert ama_citation(reference).startswith(f"{six}. A title. Neuropsychopharmacology. 2013.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "source"),
    [
        ({"volume": "285", "pages": "112821"}, "Psychiatry Res. 2020;285:112821."),
        ({}, "Psychiatry Res. 2020."),
        ({"volume": "47", "issue": "2"}, "Psychiatry Res. 2020;47(2)."),
    ],
)
def test_the_ama_source_is_year_volume_issue_and_pages_as_present(fields, source):
    """Missing parts are left out without stray punctuation."""
    reference = make_reference(
        "kuhne2020", title="Is it so?", journal="Psychiatry Res", year=2020, **fields
    )
    assert ama_citation(reference) == f"Rodriguez CI, Kegeles LS, Levinson A. Is it so? {source}"


@pytest.mark.django_db
def test_the_document_carries_the_fields_and_the_formatted_reference():
    """A document's reference has every field, the AMA string, and the links."""
    reference = make_reference(
        "rodriguez2013", pmid="23783065", doi="10.1038/npp.2013.150", pmcid="PMC3799063"
    )
    entry = reference_entry(reference, 1)
    assert entry["formatted"] == f"{entry['citation']} doi:10.1038/npp.2013.150"
    assert (entry["pmcid"], entry["pmc_url"]) == (
        "PMC3799063",
        "https://pmc.ncbi.nlm.nih.gov/articles/PMC3799063/",
    )
    assert entry["pubmed_url"] == "https://pubmed.ncbi.nlm.nih.gov/23783065/"
    assert {"authors", "title", "journal", "year", "volume", "issue", "pages", "note"} <= set(entry)


def test_the_public_page_shows_each_reference_in_ama_style_with_its_links(client, demo):
    """The demo page's references carry the AMA citation, a DOI link and the PMID link."""
    html = client.get("/conditions/treatment-resistant-ocd/").content.decode()
    assert (
        '<p class="ref-citation">Rodriguez CI, Kegeles LS, Levinson A, et al. Randomized '
        "controlled crossover trial of ketamine in obsessive-compulsive disorder: "
        "proof-of-concept. Neuropsychopharmacology. 2013;38(12):2475-2483. "
        'doi:<a href="https://doi.org/10.1038/npp.2013.150" rel="noopener">10.1038/npp.2013.150</a>'
    ) in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/28384832/"' in html
