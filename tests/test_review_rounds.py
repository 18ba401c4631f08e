"""Review rounds: after a request for changes, the next review compares with the version the
physician returned, the comments' replies and resolutions sit with their sections, and the
editor's note and change summary carry over to the next submission."""

import re

import pytest
import reversion
from django.urls import reverse

from reviews import comments, rounds, workflow
from reviews.models import ReviewEvent
from tests.conftest import PASSWORD, add_key_point, make_condition


def save_point(page, point, user, text):
    with reversion.create_revision():
        reversion.set_user(user)
        point.text = text
        point.save()
        page.save()


@pytest.fixture
def returned(editor, physician_user):
    """A page never signed, submitted with a summary, commented on and sent back."""
    with reversion.create_revision():
        reversion.set_user(editor)
        page = make_condition(clinical_definition="A definition.")
        first = add_key_point(page, "Ketamine helps some people.", 1)
        add_key_point(page, "ERP comes first.", 2)
    workflow.submit_for_review(
        page, editor, "Please check the first point.", change_summary="First version."
    )
    comment = comments.add_comment(page, physician_user, comments.anchor(first, "text"), "Vague.")
    workflow.request_changes(page, physician_user, "Say who it helps.")
    return page, first, comment


def review(client, user, page, **query) -> str:
    client.force_login(user)
    url = reverse("admin:conditions_condition_review", args=[page.pk])
    return client.get(url, query).content.decode()


def changed_items(html) -> list[str]:
    return re.findall(r'<li class="changed">(.*?)</li>', html, flags=re.S)


def test_the_next_review_compares_with_the_version_returned(
    client, returned, editor, physician_user
):
    """Only the key point the editor changed since the request reads as changed."""
    page, first, _ = returned
    save_point(page, first, editor, "Ketamine helps some adults with depression.")
    html = review(client, physician_user, page)
    assert "since Dr. Gregory House, MD asked for changes" in html
    assert "1 section changed" in html
    assert len(changed_items(html)) == 1
    assert "adults with depression" in changed_items(html)[0]
    assert "everything below is new" not in html


def test_the_reviewer_can_switch_to_everything_for_a_page_never_signed(
    client, returned, editor, physician_user
):
    """?since=signed compares with the last sign-off: here none, so everything is new."""
    page, first, _ = returned
    save_point(page, first, editor, "Ketamine helps some adults.")
    html = review(client, physician_user, page, since="signed")
    assert "everything below is new" in html
    assert "Everything (never signed)" not in html
    assert "Changes since Dr. Gregory House, MD asked for changes" in html


def test_the_reviewer_can_compare_with_any_recorded_version(
    client, returned, editor, physician_user
):
    """A recorded version picked on the review screen is what the diff compares with."""
    page, first, _ = returned
    save_point(page, first, editor, "Ketamine helps some adults.")
    newest = rounds.recorded_versions(page).first()
    html = review(client, physician_user, page, since="version", version=newest.pk)
    assert "Compared with the version saved on" in html
    assert "0 sections changed" in html


def test_replies_and_resolutions_are_shown_with_the_section_they_concern(
    client, returned, editor, physician_user
):
    """The editor's reply and the comment's resolution sit in the key points' section."""
    page, first, comment = returned
    comments.reply(page, editor, comment.pk, "Now says adults with depression.")
    comments.resolve(page, editor, comment.pk)
    html = review(client, physician_user, page)
    section = html.split("<h3>The short version", 1)[1].split("</section>", 1)[0]
    assert "Vague." in section
    assert "Now says adults with depression." in section
    assert "Resolved by edna" in section


def test_the_note_and_change_summary_carry_over_to_the_next_submission(client, returned, editor):
    """The change page's submit form offers the earlier note and summary, editable."""
    page, _, _ = returned
    client.force_login(editor)
    html = client.get(reverse("admin:conditions_condition_change", args=[page.pk])).content
    html = html.decode()
    assert "First version.</textarea>" in html
    assert "Please check the first point.</textarea>" in html


def test_nothing_carries_over_once_a_physician_signed(returned, editor, physician_user):
    """A sign-off closes the round: the next submission starts blank."""
    page, first, _ = returned
    save_point(page, first, editor, "Ketamine helps some adults.")
    workflow.submit_for_review(page, editor, change_summary="Clearer first point.")
    assert rounds.carried_over(page)["change_summary"] == "Clearer first point."
    workflow.sign_off(page, physician_user, PASSWORD)
    assert ReviewEvent.objects.for_object(page).filter(kind="signed_off").exists()
    assert rounds.carried_over(page) == {}


def test_the_page_s_situation_tells_what_carries_over_as_its_events_do(
    returned, editor, physician_user
):
    """Sent back, submitted again, signed: the change page's shortcut says what the events say."""
    page, first, _ = returned

    def both():
        return rounds.carried_over(page, workflow.situation(page)), rounds.carried_over(page)

    assert both() == ({"note": "Please check the first point.", **first_round()},) * 2
    save_point(page, first, editor, "Ketamine helps some adults.")
    workflow.submit_for_review(page, editor, "Again.", change_summary="Clearer first point.")
    shortcut, events = both()
    assert shortcut == events
    assert shortcut["change_summary"] == "Clearer first point."
    workflow.sign_off(page, physician_user, PASSWORD)
    assert both() == ({}, {})


def first_round():
    return {"change_summary": "First version.", "clinically_significant": False}
