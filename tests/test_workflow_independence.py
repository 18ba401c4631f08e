"""A physician never signs a version holding a change of their own since the last sign-off.

"Their change" covers the page, its parts, and every reference or treatment the page's document
shows. A save that changes nothing records no revision, in the change form and in the list's
bulk edit, and never makes anyone the author of a change.
"""

import pytest
import reversion
from reversion.models import Version

from conditions.models import ConditionTreatment, Treatment
from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import Physician, SignOff
from tests.admin_forms import _add_form
from tests.admin_http import AdminBrowser, page_url, review
from tests.conftest import PASSWORD, edit, make_condition, make_user


@pytest.fixture
def physician_editor(db):
    """A physician who also edits: in both roles, with a physician profile."""
    user = make_user("dr.both", "Physicians")
    user.groups.add(*make_user("tmp", "Editors").groups.all())
    Physician.objects.create(user=user, display_name="Bo Th", credentials="MD")
    return user


@pytest.fixture
def citing_page(editor, reference):
    page = make_condition(editor, clinical_definition="Ketamine helps [@rodriguez2013].")
    page.attach_cited_references()
    return page


@pytest.fixture
def treated_page(editor):
    page = make_condition(editor, slug="treated")
    treatment = Treatment.objects.create(name="Ketamine", slug="ketamine", kind="medication")
    ConditionTreatment.objects.create(
        condition=page, treatment=treatment, line_of_therapy="escalation", description="IV."
    )
    return page


def refused_own_change(page, user):
    with pytest.raises(WorkflowError, match="contains changes you made since the last sign-off"):
        workflow.sign_off(page, user, PASSWORD)
    assert not SignOff.objects.exists()


def digest_of(page):
    return workflow.current_document(page)[1]


class TestAChangeToWhatThePageShows:
    def test_a_cited_reference_changed_by_the_signer_blocks_their_sign_off(
        self, citing_page, reference, physician_editor, physician_user
    ):
        with reversion.create_revision():
            reversion.set_user(physician_editor)
            reference.title = "A title the physician rewrote"
            reference.save()
        refused_own_change(citing_page, physician_editor)
        workflow.sign_off(citing_page, physician_user, PASSWORD)  # another physician may

    def test_a_treatment_changed_by_the_signer_blocks_their_sign_off(
        self, treated_page, physician_editor
    ):
        with reversion.create_revision():
            reversion.set_user(physician_editor)
            treatment = Treatment.objects.get(slug="ketamine")
            treatment.summary = "Given by a physician's own hand."
            treatment.save()
        refused_own_change(treated_page, physician_editor)

    def test_the_admin_refuses_a_sign_off_after_the_signer_changed_a_cited_reference(
        self, citing_page, reference, physician_editor
    ):
        browser = AdminBrowser(physician_editor)
        response = browser.save_changed(
            f"/admin/references/reference/{reference.pk}/change/", title="Rewritten by Dr. Both"
        )
        assert response.status_code == 302
        response = review(
            browser,
            citing_page,
            "approve",
            password=PASSWORD,
            reviewed_digest=digest_of(citing_page),
        )
        assert "contains changes you made since the last sign-off" in browser.messages(response)
        assert not SignOff.objects.exists()

    def test_a_change_another_physician_signed_no_longer_counts(
        self, citing_page, reference, physician_editor, physician_user, editor
    ):
        edit(citing_page, physician_editor, summary="Written by Dr. Both.")
        workflow.sign_off(citing_page, physician_user, PASSWORD)
        edit(citing_page, editor, summary="Then edited by the editor.")
        workflow.sign_off(citing_page, physician_editor, PASSWORD)
        assert SignOff.objects.count() == 2


class TestASaveThatChangesNothing:
    def test_it_does_not_make_the_saver_the_author(self, condition, physician_user, editor):
        """The physician wrote the text; an editor's no-op save does not launder it."""
        edit(condition, physician_user, clinical_definition="The physician's own wording.")
        edit(condition, editor)  # saved with nothing changed
        refused_own_change(condition, physician_user)

    def test_the_admin_records_no_revision_for_an_unchanged_form(
        self, condition, physician_user, editor
    ):
        edit(condition, physician_user, clinical_definition="The physician's own wording.")
        versions = Version.objects.get_for_object(condition).count()
        response = AdminBrowser(editor).save_unchanged(page_url(condition))
        assert response.status_code == 302
        assert Version.objects.get_for_object(condition).count() == versions
        assert workflow.last_editor(condition) == physician_user
        response = review(
            AdminBrowser(physician_user),
            condition,
            "approve",
            password=PASSWORD,
            reviewed_digest=digest_of(condition),
        )
        assert not SignOff.objects.exists()

    def test_the_admin_records_a_revision_when_only_a_part_changed(self, condition, editor):
        browser = AdminBrowser(editor)
        form = browser.get(page_url(condition))
        data = {
            **_data(form),
            "key_points-TOTAL_FORMS": "1",
            "key_points-0-text": "A new key point.",
            "key_points-0-sort_order": "1",
        }
        versions = Version.objects.get_for_object(condition).count()
        assert browser.post(page_url(condition), data).status_code == 302
        assert Version.objects.get_for_object(condition).count() == versions + 1

    def test_the_list_bulk_edit_records_no_revision_for_unchanged_rows(self, treated_page, editor):
        browser = AdminBrowser(editor)
        changelist = browser.get("/admin/conditions/treatment/")
        formset = changelist.context["cl"].formset
        data = {"_save": "Save"}
        _add_form(data, formset.management_form)
        for form in formset.forms:
            _add_form(data, form)
        revisions = Version.objects.count()
        assert browser.post("/admin/conditions/treatment/", data).status_code == 302
        assert Version.objects.count() == revisions


def _data(response):
    from tests.admin_forms import change_form_data

    return change_form_data(response)
