"""A live page cannot be deleted by any route; after unpublishing, a publisher may delete it.

The admin's delete button and its bulk action both say the page must be unpublished first and
delete nothing; the model itself refuses, so a shell cannot either. Editors delete only drafts
no physician signed off. A deleted page's sign-offs, publications and timeline stay on record,
partners see it withdrawn, and the library, its export and its import keep working.
"""

import io
import json

import pytest
from django.core.management import call_command

from conditions.models import ClinicalCode, Condition
from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import Publication, ReviewEvent, ReviewState, SignOff
from tests.admin_http import AdminBrowser, page_url
from tests.conftest import PASSWORD, add_key_point, make_condition
from tests.test_backup import _remove_files, empty_database, export, import_  # noqa: F401


def delete_in_admin(browser, page):
    return browser.post(page_url(page, "delete/"), {"post": "yes"})


def bulk_delete_in_admin(browser, *pages):
    return browser.post(
        "/admin/conditions/condition/",
        {"action": "delete_selected", "_selected_action": [p.pk for p in pages], "post": "yes"},
    )


@pytest.fixture
def unpublished(editor, physician_user, publisher):
    """A page with parts, once published, now unpublished."""
    page = make_condition(editor, slug="retired", clinical_definition="A definition.")
    add_key_point(page, "A key point.")
    ClinicalCode.objects.create(condition=page, system="ICD-11", code="6B20")
    workflow.sign_off(page, physician_user, PASSWORD)
    workflow.publish(page, publisher)
    workflow.unpublish(page, publisher, "Retired.")
    return page


class TestALivePage:
    def test_the_model_refuses_to_delete_it(self, published):
        with pytest.raises(WorkflowError, match="unpublish it first"):
            published.delete()
        with pytest.raises(WorkflowError, match="unpublish it first"):
            Condition.objects.filter(pk=published.pk).delete()
        assert Condition.objects.filter(pk=published.pk).exists()

    @pytest.mark.parametrize("who", ["editor", "publisher"])
    def test_the_admin_delete_button_refuses_and_says_why(self, published, who, request):
        browser = AdminBrowser(request.getfixturevalue(who))
        confirm = browser.get(page_url(published, "delete/")).content.decode()
        assert "must be unpublished before it can be deleted" in confirm
        assert "Yes, I’m sure" not in confirm
        response = delete_in_admin(browser, published)
        assert "must be unpublished before it can be deleted" in response.content.decode()
        assert Condition.objects.filter(pk=published.pk).exists()

    def test_the_admin_bulk_delete_refuses_and_says_why(self, published, condition, publisher):
        draft = Condition.objects.create(slug="a-draft", title="A draft", summary="Draft.")
        response = bulk_delete_in_admin(AdminBrowser(publisher), published, draft)
        assert "must be unpublished before it can be deleted" in response.content.decode()
        assert Condition.objects.filter(pk__in=[published.pk, draft.pk]).count() == 2


class TestAfterUnpublishing:
    def test_an_editor_cannot_delete_a_signed_off_page(self, unpublished, editor):
        response = delete_in_admin(AdminBrowser(editor), unpublished)
        assert "only a publisher can delete it" in response.content.decode()
        assert Condition.objects.filter(pk=unpublished.pk).exists()

    def test_a_publisher_deletes_it_and_the_records_stay(self, unpublished, publisher, api):
        response = delete_in_admin(AdminBrowser(publisher), unpublished)
        assert response.status_code == 302
        assert not Condition.objects.filter(pk=unpublished.pk).exists()
        assert SignOff.objects.filter(object_id=unpublished.pk).count() == 1
        assert Publication.objects.filter(object_id=unpublished.pk).count() == 1
        kinds = set(ReviewEvent.objects.filter(object_id=unpublished.pk).values_list("kind"))
        assert kinds == {("signed_off",), ("published",), ("unpublished",)}
        assert not ReviewState.objects.filter(object_id=unpublished.pk).exists()
        withdrawn = api.get("/api/v1/withdrawn/").json()["results"]
        assert [entry["slug"] for entry in withdrawn] == [unpublished.slug]

    def test_the_library_export_and_import_keep_working(self, unpublished, publisher):
        delete_in_admin(AdminBrowser(publisher), unpublished)
        call_command("rebuild_library", stdout=io.StringIO())
        text = export()
        assert json.loads(text)["counts"]["reviews.publication"] == 1
        empty_database()
        assert "1 sign-off" in import_(text)
        assert SignOff.objects.filter(object_id=unpublished.pk).count() == 1


def test_an_editor_deletes_a_draft_never_signed_off(condition, editor):
    response = delete_in_admin(AdminBrowser(editor), condition)
    assert response.status_code == 302
    assert not Condition.objects.filter(pk=condition.pk).exists()


def test_the_model_refusal_is_a_plain_message(published, physician_user):
    with pytest.raises(WorkflowError) as refusal:
        published.delete()
    assert str(refusal.value) == (
        f"A live page cannot be deleted: unpublish it first (/{published.slug}/)."
    )
