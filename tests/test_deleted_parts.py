"""The timeline over a version that uses a treatment deleted since: a clear message, never a 500.

The version stores the treatment's id; comparing or reverting it would need the treatment back.
The editor is told which one is missing and how to recover it, and nothing changes.
"""

import pytest
import reversion
from django.test import Client
from reversion.models import Version

from conditions.models import ConditionTreatment, Treatment
from tests.conftest import PASSWORD


@pytest.fixture
def page_that_used_a_deleted_treatment(editor, condition):
    """Versions: created; with lithium as first line; without it. Then lithium is deleted."""
    with reversion.create_revision():
        reversion.set_user(editor)
        lithium = Treatment.objects.create(slug="lithium", name="Lithium", kind="medication")
    with reversion.create_revision():
        reversion.set_user(editor)
        ConditionTreatment.objects.create(
            condition=condition, treatment=lithium, line_of_therapy="first_line", description="x"
        )
        condition.save()
    with reversion.create_revision():
        reversion.set_user(editor)
        ConditionTreatment.objects.filter(condition=condition).delete()
        condition.save()
    lithium.delete()
    return condition


def signed_in(editor):
    client = Client(raise_request_exception=False)
    assert client.login(username=editor.username, password=PASSWORD)
    return client


def versions(condition):
    return list(Version.objects.get_for_object(condition).order_by("pk"))


def test_comparing_with_a_version_using_a_deleted_treatment_explains_what_is_missing(
    editor, page_that_used_a_deleted_treatment
):
    page = page_that_used_a_deleted_treatment
    _, with_lithium, without = versions(page)
    response = signed_in(editor).get(
        f"/admin/conditions/condition/{page.pk}/compare/",
        {"old": with_lithium.pk, "new": without.pk},
        follow=True,
    )

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/admin/conditions/condition/{page.pk}/timeline/"
    html = response.content.decode()
    assert (
        "This version cannot be compared: it uses the treatment “Lithium”, deleted since." in html
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_reverting_to_a_version_using_a_deleted_treatment_explains_and_changes_nothing(
    editor, page_that_used_a_deleted_treatment, method
):
    page = page_that_used_a_deleted_treatment
    _, with_lithium, _ = versions(page)
    client = signed_in(editor)
    address = f"/admin/conditions/condition/{page.pk}/history/{with_lithium.pk}/"
    response = getattr(client, method)(address, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/admin/conditions/condition/{page.pk}/history/"
    assert "This version cannot be restored: it uses the treatment “Lithium”" in (
        response.content.decode()
    )
    assert not ConditionTreatment.objects.exists()
    assert len(versions(page)) == 3


def test_versions_whose_rows_all_exist_still_compare(editor, page_that_used_a_deleted_treatment):
    page = page_that_used_a_deleted_treatment
    first, _, without = versions(page)
    response = signed_in(editor).get(
        f"/admin/conditions/condition/{page.pk}/compare/", {"old": first.pk, "new": without.pk}
    )
    assert response.status_code == 200
    assert "0 sections changed" in response.content.decode()
