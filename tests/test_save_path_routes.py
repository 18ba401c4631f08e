"""Every route that changes a page's signed source records the change and its author: a revert
from history, a part deleted, a cited reference deleted and re-created under its citekey, a
compared page renamed. A physician never signs their own change by going around the form."""

import pytest
import reversion
from reversion.models import Version

from conditions.models import Comparison, KeyPoint
from references.errors import ReferenceInUse
from references.importers import parse_references
from references.importers.saving import save_imported
from references.models import Reference
from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import Physician, ReviewState, SignOff
from tests.admin_forms import change_form_data
from tests.admin_http import AdminBrowser, page_url, review
from tests.conftest import PASSWORD, add_key_point, edit, make_condition, make_user

OWN_CHANGE = "contains changes you made since the last sign-off"


@pytest.fixture
def dual(db):
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


def row(page):
    return ReviewState.objects.get(object_id=page.pk, content_type__model="condition")


def self_sign_off_refused_over_http(page, user):
    """The physician's own sign-off through the review screen, CSRF on: refused."""
    signed = SignOff.objects.count()
    browser = AdminBrowser(user)
    digest = workflow.current_document(page)[1]
    response = review(browser, page, "approve", password=PASSWORD, reviewed_digest=digest)
    assert OWN_CHANGE in browser.messages(response)
    assert SignOff.objects.count() == signed


def test_a_revert_from_history_is_a_change_by_the_one_who_reverted(
    condition, dual, editor, physician_user
):
    """Reverting to their own unsigned text, with the form unchanged, still records them."""
    edit(condition, dual, summary="Dr. Both's own words.")
    theirs = Version.objects.get_for_object(condition).first()
    edit(condition, editor, summary="The editor's words.")
    workflow.sign_off(condition, physician_user, PASSWORD)
    assert row(condition).changed_by == []

    browser = AdminBrowser(dual)
    history = f"/admin/conditions/condition/{condition.pk}/history/{theirs.pk}/"
    response = browser.post(history, change_form_data(browser.get(history), _save="Save"))
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.summary == "Dr. Both's own words."
    assert Version.objects.get_for_object(condition).first().revision.user == dual
    assert row(condition).changed_by == [dual.pk]
    self_sign_off_refused_over_http(condition, dual)


def test_deleting_a_part_is_a_change_by_the_one_who_deleted_it(condition, dual, physician_user):
    """A key point deleted through the page's form records its deleter."""
    add_key_point(condition, "A point the physician dislikes.")
    workflow.sign_off(condition, physician_user, PASSWORD)
    browser = AdminBrowser(dual)
    data = change_form_data(browser.get(page_url(condition)))
    data["key_points-0-DELETE"] = "on"
    assert browser.post(page_url(condition), data).status_code == 302
    assert not KeyPoint.objects.exists()
    assert row(condition).changed_by == [dual.pk]
    self_sign_off_refused_over_http(condition, dual)


def test_a_reference_re_created_under_its_citekey_is_a_change_by_its_creator(
    citing_page, reference, dual, physician_user
):
    """Deleting a cited reference and adding new text under the same key records both steps,
    and the new row joins the page's references."""
    workflow.sign_off(citing_page, physician_user, PASSWORD)
    browser = AdminBrowser(dual)
    deleted = browser.post(f"/admin/references/reference/{reference.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert row(citing_page).changed_by == [dual.pk]

    edit(citing_page, physician_user)  # nothing changed: the row stays as it is
    form = browser.get("/admin/references/reference/add/")
    data = change_form_data(
        form,
        kind="article",
        authors="Rodriguez CI",
        year="2013",
        citekey="rodriguez2013",
        title="Ketamine cures everything",
        journal="Neuropsychopharmacology",
        _save="Save",
    )
    assert browser.post("/admin/references/reference/add/", data).status_code == 302
    recreated = Reference.objects.get(citekey="rodriguez2013")
    assert list(citing_page.references.all()) == [recreated]
    assert dual.pk in row(citing_page).changed_by
    self_sign_off_refused_over_http(citing_page, dual)


def test_a_reference_a_page_in_review_cites_cannot_be_deleted(citing_page, reference, dual):
    """The admin names the page that keeps it; the model refuses whatever the route."""
    workflow.submit_for_review(citing_page, dual)
    browser = AdminBrowser(dual)
    page = browser.get(f"/admin/references/reference/{reference.pk}/delete/").content.decode()
    assert "@rodriguez2013 is cited by “Test Condition”, which is live or in review" in page
    browser.post(f"/admin/references/reference/{reference.pk}/delete/", {"post": "yes"})
    assert Reference.objects.filter(pk=reference.pk).exists()
    with pytest.raises(ReferenceInUse, match="@rodriguez2013 is cited by “Test Condition”"):
        reference.delete()
    with pytest.raises(ReferenceInUse):
        Reference.objects.all().delete()
    assert Reference.objects.filter(pk=reference.pk).exists()


def test_a_reference_a_live_page_cites_cannot_be_deleted_in_bulk(
    citing_page, reference, physician_user, publisher, admin_client
):
    """The list's bulk delete shows the reference as protected, naming the live page."""
    workflow.sign_off(citing_page, physician_user, PASSWORD)
    workflow.publish(citing_page, publisher)
    response = admin_client.post(
        "/admin/references/reference/",
        {"action": "delete_selected", "_selected_action": [reference.pk]},
    )
    assert "is cited by “Test Condition”, which is live or in review" in response.content.decode()
    assert Reference.objects.filter(pk=reference.pk).exists()


def test_renaming_a_compared_page_is_a_change_of_the_page_comparing_itself_to_it(
    condition, editor, dual, physician_user
):
    """A page shows the address of the page it compares itself to: a rename changes it."""
    other = make_condition(editor, slug="other-condition", title="Other")
    with reversion.create_revision():
        reversion.set_user(editor)
        Comparison.objects.create(
            condition=condition, name="Other", related_condition=other, text="Differs."
        )
        condition.save()
    workflow.sign_off(condition, physician_user, PASSWORD)
    edit(other, dual, slug="renamed-condition")
    assert row(condition).changed_by == [dual.pk]
    assert row(condition).source_digest == workflow.current_document(condition)[1]
    with pytest.raises(WorkflowError, match=OWN_CHANGE):
        workflow.sign_off(condition, dual, PASSWORD)


def test_a_live_preview_with_only_a_key_point_changed_answers(condition, editor):
    """The preview saves inside no revision and rolls back: a part-only change is no error."""
    add_key_point(condition, "The first point.")
    browser = AdminBrowser(editor)
    data = change_form_data(browser.get(page_url(condition)))
    data["key_points-0-text"] = "A reworded first point."
    response = browser.post(page_url(condition, "live-preview/"), data)
    assert response.status_code == 200
    assert "A reworded first point." in response.content.decode()
    assert KeyPoint.objects.get().text == "The first point."


def test_an_import_of_a_reference_a_page_cites_is_a_change_by_the_importer(editor, dual):
    """A page citing a key the library lacks changes when an import brings the reference."""
    page = make_condition(editor, clinical_definition="Shown in a trial [@smith2020].")
    bibtex = "@article{a, author={Smith, John}, title={A trial}, journal={J Psych}, year={2020}}"
    report = save_imported(parse_references(bibtex, "bibtex"), user=dual)
    assert [reference.citekey for reference in report.created] == ["smith2020"]
    assert dual.pk in row(page).changed_by
    assert row(page).source_digest == workflow.current_document(page)[1]
