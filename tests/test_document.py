"""The document and its digest: everything a reader sees, and nothing else, decides the digest."""

import json

from conditions.models import ClinicalCode, ConditionTreatment, Treatment
from reviews import workflow
from reviews.digest import canonical_json
from tests.conftest import add_key_point, edit, make_reference


def test_building_twice_gives_the_same_document_and_digest(condition):
    """The builder is deterministic."""
    assert workflow.current_document(condition) == workflow.current_document(condition)


def test_the_document_is_plain_json_data(condition):
    """The document survives a JSON round trip unchanged."""
    document, _ = workflow.current_document(condition)
    assert json.loads(canonical_json(document)) == document


def test_a_change_a_reader_would_see_changes_the_digest(condition, editor):
    """Editing visible text gives a new digest."""
    _, before = workflow.current_document(condition)
    edit(condition, editor, clinical_definition="A different definition.")
    assert workflow.current_document(condition)[1] != before


def test_saving_without_a_visible_change_keeps_the_digest(condition, editor):
    """A save that changes nothing a reader sees leaves the digest alone."""
    _, before = workflow.current_document(condition)
    edit(condition, editor)
    assert workflow.current_document(condition)[1] == before


def test_a_change_to_a_cited_reference_changes_the_digest(condition, editor, reference):
    """References are part of what the reader sees, so correcting one needs a new review."""
    add_key_point(condition, "Evidence [@rodriguez2013].")
    _, before = workflow.current_document(condition)
    reference.note = "A corrected annotation."
    reference.save()
    assert workflow.current_document(condition)[1] != before


def test_reordering_parts_changes_the_document_order(condition):
    """Parts appear in the editor's order."""
    add_key_point(condition, "Second", order=2)
    add_key_point(condition, "First", order=1)
    document, _ = workflow.current_document(condition)
    assert [point["text"] for point in document["key_points"]] == ["First", "Second"]


def test_codes_make_the_codes_line(condition):
    """Codes join into the line under the title, qualifiers in brackets."""
    ClinicalCode.objects.create(condition=condition, system="DSM-5", code="300.3", sort_order=1)
    ClinicalCode.objects.create(
        condition=condition, system="ICD-11", code="6B20", qualifier="refractory", sort_order=2
    )
    document, _ = workflow.current_document(condition)
    assert document["codes_line"] == "DSM-5 300.3 / ICD-11 6B20 (refractory)"


def test_treatments_are_grouped_by_line_of_therapy(condition):
    """First-line treatments come before escalation ones, whatever their order numbers."""
    ssri = Treatment.objects.create(name="SSRIs", slug="ssris", kind="medication")
    clomipramine = Treatment.objects.create(name="Clomipramine", slug="cmi", kind="medication")
    ConditionTreatment.objects.create(
        condition=condition, treatment=clomipramine, line_of_therapy="escalation", sort_order=1
    )
    ConditionTreatment.objects.create(
        condition=condition, treatment=ssri, line_of_therapy="first_line", sort_order=2
    )
    document, _ = workflow.current_document(condition)
    assert [group["heading"] for group in document["treatment_groups"]] == [
        "First-line treatments",
        "Escalation treatments",
    ]


def test_references_carry_the_fields_and_a_formatted_citation(condition):
    """Each reference in the document has its fields, links and an AMA-style string."""
    make_reference(
        "hirschtritt2017",
        authors="Hirschtritt ME, Bloch MH, Mathews CA",
        title="Obsessive-compulsive disorder: advances in diagnosis and treatment",
        journal="JAMA",
        year=2017,
        volume="317",
        issue="13",
        pages="1358-1367",
        pmid="28384832",
        doi="10.1001/jama.2017.2200",
    )
    add_key_point(condition, "Review [@hirschtritt2017].")
    reference = workflow.current_document(condition)[0]["references"][0]
    assert reference["number"] == 1
    assert reference["pubmed_url"] == "https://pubmed.ncbi.nlm.nih.gov/28384832/"
    assert reference["formatted"] == (
        "Hirschtritt ME, Bloch MH, Mathews CA. Obsessive-compulsive disorder: advances in "
        "diagnosis and treatment. JAMA. 2017;317(13):1358-1367. doi:10.1001/jama.2017.2200"
    )
