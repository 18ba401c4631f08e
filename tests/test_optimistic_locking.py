"""Two editors on one page: the later save is refused, and neither edit is lost."""

import pytest
from reversion.models import Version

from conditions.models import Condition
from tests.admin_forms import change_form_data
from tests.conftest import PASSWORD, make_user


@pytest.fixture
def two_editors(client, editor, condition):
    """Both editors opened the change form before either saved."""
    from django.test import Client

    other = make_user("otto", "Editors")
    clients = {}
    for user, browser in [(editor, client), (other, Client())]:
        assert browser.login(username=user.username, password=PASSWORD)
        clients[user.username] = (browser, browser.get(change_url(condition)))
    return clients


def change_url(condition):
    return f"/admin/conditions/condition/{condition.pk}/change/"


def test_a_save_over_a_newer_version_is_refused_with_who_and_when(two_editors, condition):
    otto, otto_form = two_editors["otto"]
    edna, edna_form = two_editors["edna"]
    assert (
        otto.post(change_url(condition), change_form_data(otto_form, summary="Otto's.")).status_code
        == 302
    )

    response = edna.post(change_url(condition), change_form_data(edna_form, summary="Edna's."))
    html = response.content.decode()
    assert response.status_code == 200
    assert "otto saved this page on" in html
    assert "Nothing was saved: your changes are still in this form." in html
    assert "Edna&#x27;s.</textarea>" in html
    assert Condition.objects.get(pk=condition.pk).summary == "Otto's."


def test_saving_again_after_the_warning_keeps_both_edits_in_the_history(two_editors, condition):
    otto, otto_form = two_editors["otto"]
    edna, edna_form = two_editors["edna"]
    otto.post(change_url(condition), change_form_data(otto_form, summary="Otto's."))
    refused = edna.post(change_url(condition), change_form_data(edna_form, summary="Edna's."))

    again = edna.post(change_url(condition), change_form_data(refused))
    assert again.status_code == 302
    assert Condition.objects.get(pk=condition.pk).summary == "Edna's."
    summaries = [v.field_dict["summary"] for v in Version.objects.get_for_object(condition)]
    assert summaries[:2] == ["Edna's.", "Otto's."]


def test_a_save_with_no_one_in_between_goes_through(client, editor, condition):
    assert client.login(username=editor.username, password=PASSWORD)
    form = client.get(change_url(condition))
    response = client.post(change_url(condition), change_form_data(form, summary="Mine."))
    assert response.status_code == 302
    assert Condition.objects.get(pk=condition.pk).summary == "Mine."
