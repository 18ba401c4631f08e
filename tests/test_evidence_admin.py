"""The evidence watch's screens and command: thin doors onto the same rules."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from evidence import watch
from evidence.models import Finding, InboxRecord, PageFlag, SavedSearch
from tests.admin_forms import change_form_data
from tests.conftest import PASSWORD
from tests.evidence_sources import CONCERN, cite, live_page_citing
from tests.evidence_sources import sources as sources  # noqa: F401 - the fixture, by its name


@pytest.fixture
def concern(sources, editor, physician_user, publisher):  # noqa: F811
    live_page_citing(editor, physician_user, publisher, cite("b2020", pmid=CONCERN))
    watch.run()
    return Finding.objects.get()


def test_the_dismiss_screen_refuses_a_wrong_password_and_records_a_right_one(
    client, concern, physician_user
):
    """The screen shows the refusal in words; with the password the finding is dismissed."""
    client.force_login(physician_user)
    url = f"/admin/evidence/finding/{concern.pk}/dismiss/"

    refused = client.post(url, {"reason": "About another trial.", "password": "wrong"})
    assert "The password is not correct. The dismissal was not recorded." in refused.text
    client.post(url, {"reason": "About another trial.", "password": PASSWORD})

    concern.refresh_from_db()
    assert (concern.dismissed_by, concern.dismissal_reason) == (
        physician_user,
        "About another trial.",
    )


def test_the_physicians_home_lists_the_review_the_watch_opened(client, concern, physician_user):
    """The admin home shows the flagged page with a link to dismiss its finding."""
    client.force_login(physician_user)

    home = client.get("/admin/").text

    assert "Reviews opened by the evidence watch (1)" in home
    assert f"/admin/evidence/finding/{concern.pk}/dismiss/" in home


def test_an_editor_posting_a_decision_is_refused_in_words(client, published, editor):
    """An editor may read the inbox; a decision posted anyway is refused and changes nothing."""
    search = SavedSearch.objects.create(condition=published, terms="x", starts_from="2026-10-01")
    run = search.runs.create(since="2026-10-01", through="2026-10-31", ran_at="2026-11-01T00:00Z")
    record = InboxRecord.objects.create(search=search, run=run, pmid="32000001", title="A trial")
    client.force_login(editor)

    answer = client.post(
        f"/admin/evidence/savedsearch/{search.pk}/inbox/{record.pk}/",
        {"decision": "practice_changing"},
        follow=True,
    )

    assert "Only an active physician screens the evidence inbox." in answer.text
    record.refresh_from_db()
    assert record.decision == ""
    assert not PageFlag.objects.exists()


def test_the_demo_replay_fills_the_inbox_and_flags_the_demo_page(demo, settings):
    """watch_evidence --replay-demo: four studies to screen and one page under review."""
    settings.DEBUG = True

    call_command("watch_evidence", "--replay-demo")

    assert InboxRecord.objects.filter(decision="").count() == 4
    assert PageFlag.objects.filter(reason="expression_of_concern").count() == 1
    assert Finding.objects.filter(kind="updated").count() == 1


def test_the_demo_replay_is_refused_outside_development(demo, settings):
    """Replaying recorded notices over real references is for a development database only."""
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("watch_evidence", "--replay-demo")


def test_a_page_with_a_saved_search_cannot_have_its_evidence_date_typed(client, editor, condition):
    """The change form shows the field disabled and says why; a posted date is ignored, while
    a page without a saved search keeps the field to type."""
    client.force_login(editor)
    url = f"/admin/conditions/condition/{condition.pk}/change/"
    typed = client.get(url)
    assert not typed.context["adminform"].form.fields["evidence_reviewed_through"].disabled

    SavedSearch.objects.create(condition=condition, terms="ketamine", starts_from=date(2026, 1, 1))
    form = client.get(url)
    field = form.context["adminform"].form.fields["evidence_reviewed_through"]
    assert field.disabled
    assert "Computed, not typed" in form.text
    saved = client.post(
        url, change_form_data(form, evidence_reviewed_through="2026-03-01", summary="Changed.")
    )

    assert saved.status_code == 302
    condition.refresh_from_db()
    assert (condition.summary, condition.evidence_reviewed_through) == ("Changed.", None)
