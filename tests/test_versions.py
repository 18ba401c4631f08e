"""django-reversion: every admin change is a revision, and its known gaps are closed."""

import pytest
import reversion
from reversion.models import Version

from conditions.models import Condition, KeyPoint, Treatment
from reviews import workflow
from reviews.errors import WorkflowError
from tests.admin_forms import change_form_data
from tests.conftest import PASSWORD, add_key_point, edit, make_reference


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def revert_in_admin(client, condition, version):
    """Revert as an editor does: open the version in the history and save it."""
    page = f"/admin/conditions/condition/{condition.pk}/history/{version.pk}/"
    response = client.post(page, change_form_data(client.get(page), _save="Save"))
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_admin_save_is_a_revision_with_its_user_and_comment(client, editor, condition):
    login(client, editor)
    form = client.get(f"/admin/conditions/condition/{condition.pk}/change/")
    client.post(form.request["PATH_INFO"], change_form_data(form, summary="Changed in the admin."))
    newest = Version.objects.get_for_object(condition).first()
    assert newest.revision.user == editor
    assert newest.revision.get_comment() == "Changed Summary."
    assert newest.field_dict["summary"] == "Changed in the admin."


def test_a_reverted_page_is_an_unreviewed_draft_that_cannot_be_published(
    client, editor, physician_user, publisher, published
):
    """Reverting bypasses save(); the digest still decides, so the old text needs a review."""
    first = Version.objects.get_for_object(published).first()
    edit(published, editor, clinical_definition="The corrected definition.")
    workflow.sign_off(published, physician_user, PASSWORD)
    workflow.publish(published, publisher)
    revert_in_admin(login(client, editor), published, first)
    published.refresh_from_db()
    assert published.clinical_definition == "A definition."
    assert workflow.state(published) == workflow.State.LIVE_WITH_UNREVIEWED_CHANGES
    with pytest.raises(WorkflowError):
        workflow.publish(published, publisher)
    assert "The corrected definition." in client.get("/conditions/test-condition/").content.decode()


def test_reverting_a_page_restores_its_parts(editor, condition):
    """follow= by accessor names: the revision holds the parts, and reverting puts them back."""
    with reversion.create_revision():
        reversion.set_user(editor)
        add_key_point(condition, "The original point.")
        condition.save()
    original = Version.objects.get_for_object(condition).first()
    with reversion.create_revision():
        reversion.set_user(editor)
        KeyPoint.objects.filter(condition=condition).delete()
        add_key_point(condition, "A replacement point.")
        condition.save()
    original.revision.revert(delete=True)
    assert list(condition.key_points.values_list("text", flat=True)) == ["The original point."]


def test_a_reverted_version_is_sanitized_on_the_way_out(editor, condition):
    """A version saved with live markup renders without it, whatever route restored it."""
    edit(
        condition,
        editor,
        clinical_definition='<img src=x onerror="alert(1)"><script>x()</script>Ok',
    )
    hostile = Version.objects.get_for_object(condition).first()
    edit(condition, editor, clinical_definition="Clean.")
    hostile.revision.revert(delete=True)
    html = Condition.objects.get(pk=condition.pk).build_document()["clinical_definition"]["html"]
    assert "onerror" not in html
    assert "<script" not in html
    assert "Ok" in html


def test_the_references_a_save_attaches_are_in_its_revision(client, editor, condition):
    """Many-to-many changes made while saving land inside the same revision."""
    cited = make_reference("adams2017")
    login(client, editor)
    form = client.get(f"/admin/conditions/condition/{condition.pk}/change/")
    client.post(
        form.request["PATH_INFO"],
        change_form_data(form, clinical_definition="Evidence is limited [@adams2017]."),
    )
    newest = Version.objects.get_for_object(condition).first()
    assert newest.field_dict["references"] == [cited.pk]


def test_a_deleted_treatment_can_be_recovered(admin_client, editor):
    with reversion.create_revision():
        reversion.set_user(editor)
        treatment = Treatment.objects.create(name="Lithium", slug="lithium", kind="medication")
    admin_client.post(f"/admin/conditions/treatment/{treatment.pk}/delete/", {"post": "yes"})
    assert not Treatment.objects.exists()
    listing = admin_client.get("/admin/conditions/treatment/recover/").content.decode()
    assert "Lithium" in listing
    deleted = Version.objects.get_deleted(Treatment).get()
    page = f"/admin/conditions/treatment/recover/{deleted.pk}/"
    response = admin_client.post(page, {"name": "Lithium", "slug": "lithium", "kind": "medication"})
    assert response.status_code == 302
    assert Treatment.objects.get().name == "Lithium"


def test_editing_several_treatments_from_the_list_is_one_revision(admin_client, admin_user):
    """A bulk change from the change list lands inside a revision, with its user."""
    first = Treatment.objects.create(name="Clomipramine", slug="clomipramine", kind="other")
    second = Treatment.objects.create(name="Fluoxetine", slug="fluoxetine", kind="other")
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-0-id": str(second.pk),
        "form-0-kind": "medication",
        "form-1-id": str(first.pk),
        "form-1-kind": "medication",
        "_save": "Save",
    }
    response = admin_client.post("/admin/conditions/treatment/", data)
    assert response.status_code == 302
    [revision] = {v.revision for v in Version.objects.get_for_model(Treatment)}
    assert revision.user == admin_user
    assert {v.object_id for v in revision.version_set.all()} == {str(first.pk), str(second.pk)}
