"""No edit is lost on the change page: Resolve, Reply and Submit save the form's edits first (or,
when the form cannot be saved, are not taken and the form shows why), and leaving a changed form
by a link warns first."""

import pytest
from playwright.sync_api import expect

from conditions.models import Condition
from reviews import comments, workflow
from reviews.models import ReviewComment
from tests.browser import DESKTOP, chromium
from tests.conftest import PASSWORD, add_key_point

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page_with_comments(condition, editor, physician_user):
    add_key_point(condition, "Ketamine works within hours.", order=1)
    workflow.submit_for_review(condition, editor)
    anchor = f"conditions.keypoint:{condition.key_points.get().pk}:text"
    workflow.request_changes(condition, physician_user, "Two fixes.")
    first = comments.add_comment(condition, physician_user, anchor, "Say 24 hours.")
    second = comments.add_comment(condition, physician_user, anchor, "Cite the trial.")
    return condition, first, second


@pytest.fixture
def editor_page(live_server, editor):
    with chromium() as browser:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", editor.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        expect(page.locator("#user-tools")).to_contain_text("Log out")
        yield page
        page.wait_for_load_state("networkidle")
        context.close()


def summary_of(condition):
    return Condition.objects.get(pk=condition.pk).summary


def test_resolve_reply_and_submit_each_save_the_edit_made_before_them(
    live_server, editor_page, page_with_comments
):
    """Each step keeps what was typed before it was pressed, and is still taken."""
    condition, first, second = page_with_comments
    page = editor_page
    change = f"{live_server.url}/admin/conditions/condition/{condition.pk}/change/"
    page.goto(change)

    page.fill("#id_summary", "Edited before Resolve.")
    page.get_by_role("button", name="Resolve the comment on Key point 1").first.click()
    expect(page.locator(".messagelist")).to_contain_text("Comment resolved.")
    assert summary_of(condition) == "Edited before Resolve."
    assert ReviewComment.objects.get(pk=first.pk).is_resolved

    page.fill("#id_summary", "Edited before Reply.")
    page.fill(f"#reply-{second.pk}", "Cited it.")
    page.locator(f"#comment-{second.pk}").get_by_role("button", name="Reply").click()
    expect(page.locator(".messagelist")).to_contain_text("Reply added.")
    assert summary_of(condition) == "Edited before Reply."

    page.fill("#id_summary", "Edited before Submit.")
    page.get_by_role("button", name="Submit for review", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Submitted for review.")
    assert summary_of(condition) == "Edited before Submit."
    assert workflow.state(condition) == workflow.State.IN_REVIEW


def test_a_step_is_refused_with_the_error_summary_when_the_form_cannot_be_saved(
    live_server, editor_page, page_with_comments
):
    """An emptied title cannot be saved: the comment stays open and the summary says why."""
    condition, first, _ = page_with_comments
    page = editor_page
    page.goto(f"{live_server.url}/admin/conditions/condition/{condition.pk}/change/")
    page.fill("#id_title", "")
    page.fill("#id_summary", "Kept although the title is missing.")
    page.get_by_role("button", name="Resolve the comment on Key point 1").first.click()
    expect(page.locator("#error-summary-title")).to_contain_text("This page was not saved")
    expect(page.locator("#id_summary")).to_have_value("Kept although the title is missing.")
    assert not ReviewComment.objects.get(pk=first.pk).is_resolved


def test_leaving_a_changed_form_by_a_link_warns_first(live_server, editor_page, condition):
    """A link away from unsaved edits asks before leaving; staying keeps them."""
    page = editor_page
    change = f"{live_server.url}/admin/conditions/condition/{condition.pk}/change/"
    page.goto(change)
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.locator("#id_summary").press_sequentially(" More.")
    page.locator("#user-tools a", has_text="View site").click(no_wait_after=True)
    page.wait_for_timeout(500)  # long enough for a navigation to have begun
    assert " More." in page.input_value("#id_summary")
    assert asked == ["beforeunload"]
    assert page.url == change
