"""The digest a physician signs covers the source, never the renderer's output.

Markdown as typed, the structured fields and the fields of cited references and treatments:
any change a reader would see changes the digest; a new Markdown, bleach or nh3 version does
not, so a renderer swap leaves live pages live and approved pages publishable. Publishing then
stores the document rendered with the renderer of the day.
"""

import datetime

import pytest
import reversion

from conditions.models import ClinicalCode, ConditionTreatment, Treatment
from reviews import workflow
from reviews.models import ReviewState
from tests.conftest import PASSWORD, make_condition


@pytest.fixture
def swapped_renderer(monkeypatch):
    """A Markdown renderer whose output differs from today's for every text."""

    def render(source, tables=False):
        return f'<p class="new-renderer">{source}</p>' if source else ""

    monkeypatch.setattr("conditions.documents.render_markdown", render)


@pytest.fixture
def cited_page(editor, reference, physician_user, publisher):
    page = make_condition(editor, slug="cited", clinical_definition="It *helps* [@rodriguez2013].")
    page.attach_cited_references()
    treatment = Treatment.objects.create(name="Ketamine", slug="ketamine", kind="medication")
    ConditionTreatment.objects.create(
        condition=page, treatment=treatment, line_of_therapy="escalation", description="IV."
    )
    workflow.sign_off(page, physician_user, PASSWORD)
    workflow.publish(page, publisher)
    return page


def test_a_renderer_swap_leaves_a_live_page_live(cited_page, publisher, swapped_renderer):
    before = ReviewState.objects.get(object_id=cited_page.pk)
    assert 'class="new-renderer"' in cited_page.build_document()["clinical_definition"]["html"]
    assert workflow.state(cited_page) == workflow.State.LIVE
    assert "This exact version is already live." in workflow.publish_blockers(cited_page, publisher)
    workflow.record_change(cited_page, publisher)  # as a save of the page would
    after = ReviewState.objects.get(object_id=cited_page.pk)
    assert (after.state, after.source_digest, after.changed_by) == (
        before.state,
        before.source_digest,
        before.changed_by,
    )


def test_a_renderer_swap_leaves_an_approved_page_publishable_with_the_new_rendering(
    condition, physician_user, publisher, monkeypatch
):
    signed = workflow.sign_off(condition, physician_user, PASSWORD)
    monkeypatch.setattr(
        "conditions.documents.render_markdown", lambda source, tables=False: f"<div>{source}</div>"
    )
    assert workflow.state(condition) == workflow.State.APPROVED
    publication = workflow.publish(condition, publisher)
    assert publication.sign_off == signed
    assert publication.source_digest == signed.source_digest
    assert publication.document["clinical_definition"]["html"] == "<div>A definition.</div>"


def change_reference_title(page, reference, editor):
    reference.title = "A corrected title"
    reference.save()


def change_treatment_summary(page, reference, editor):
    Treatment.objects.filter(slug="ketamine").update(summary="Now with a summary.")


def change_markdown_as_typed(page, reference, editor):
    page.clinical_definition = (
        "It _helps_ [@rodriguez2013]."  # renders the same, but it is not what was signed
    )
    page.save()


def add_code(page, reference, editor):
    ClinicalCode.objects.create(condition=page, system="ICD-11", code="6B20")


def change_status(page, reference, editor):
    page.clinic_indication_status = "established"
    page.save()


def mark_reference_et_al(page, reference, editor):
    reference.et_al = True
    reference.save()


def set_evidence_date(page, reference, editor):
    page.evidence_reviewed_through = datetime.date(2026, 5, 1)
    page.save()


@pytest.mark.parametrize(
    "change",
    [
        change_reference_title,
        mark_reference_et_al,
        set_evidence_date,
        change_treatment_summary,
        change_markdown_as_typed,
        add_code,
        change_status,
    ],
)
def test_every_change_of_the_source_needs_a_new_sign_off(cited_page, reference, editor, change):
    digest = workflow.current_document(cited_page)[1]
    with reversion.create_revision():
        change(cited_page, reference, editor)
    assert workflow.current_document(cited_page)[1] != digest
    assert workflow.state(cited_page) == workflow.State.LIVE_WITH_UNREVIEWED_CHANGES


def test_the_site_wide_notice_is_part_of_what_is_signed(cited_page, settings):
    settings.DEFAULT_REGULATORY_NOTICE = "A new notice for every page without its own."
    assert workflow.state(cited_page) == workflow.State.LIVE_WITH_UNREVIEWED_CHANGES
