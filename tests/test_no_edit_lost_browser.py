"""No edit is lost on the change page: Resolve, Reply and Submit save the form's edits first (or,
when the form cannot be saved, are not taken and the form shows why), and leaving a changed form
by a link warns first. A new page's text is kept in the browser until its first save, and
autosaved to the server as soon as its form can be saved as a draft."""

import os
from pathlib import Path

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
    # The comments stand beside the key point, in its own section of the form.
    page.get_by_role("tab", name="The short version").click()
    page.get_by_role("button", name="Resolve the comment on Key point 1").first.click()
    expect(page.locator(".messagelist")).to_contain_text("Comment resolved.")
    assert summary_of(condition) == "Edited before Resolve."
    assert ReviewComment.objects.get(pk=first.pk).is_resolved

    page.fill("#id_summary", "Edited before Reply.")
    page.get_by_role("tab", name="The short version").click()
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
    page.get_by_role("tab", name="The short version").click()
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


ADD = "/admin/conditions/condition/add/"


def test_a_new_page_s_text_survives_closing_the_tab_before_its_first_save(
    live_server, editor_page, tmp_path
):
    """Kept in the browser while the form cannot be saved yet; back, with a message, when the
    add form is opened again; gone once discarded."""
    again = editor_page
    page = again.context.new_page()  # a second tab, to close
    page.goto(f"{live_server.url}{ADD}")
    page.fill("#id_title", "Obsessive-Compulsive Disorder")  # no summary: not a draft yet
    page.get_by_role("tab", name="Clinical text").click()
    page.fill("#id_clinical_definition", "Intrusive thoughts and *rituals*.")
    page.get_by_role("tab", name="The short version").click()
    page.fill("#id_key_points-0-text", "First point.")
    page.locator("#key_points-group .add-row a").click()
    page.fill("#id_key_points-1-text", "Second point.")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Kept in this browser")
    page.close()  # the tab, closed without a word

    again.goto(f"{live_server.url}{ADD}")
    expect(again.locator(".local-draft")).to_contain_text("Restored what you typed here")
    expect(again.locator("#id_title")).to_have_value("Obsessive-Compulsive Disorder")
    expect(again.locator("#id_clinical_definition")).to_have_value(
        "Intrusive thoughts and *rituals*."
    )
    expect(again.locator("#id_key_points-1-text")).to_have_value("Second point.")
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    again.screenshot(path=folder / "editor-restored-new-page-1280.png")
    assert not Condition.objects.exists()

    again.get_by_role("button", name="Discard it and start again").click()
    expect(again.locator("#id_title")).to_have_value("")
    expect(again.locator(".local-draft")).to_have_count(0)
    again.reload()
    expect(again.locator("#id_title")).to_have_value("")
    expect(again.locator(".local-draft")).to_have_count(0)


def test_a_new_page_is_autosaved_once_it_can_be_and_the_browser_copy_is_dropped(
    live_server, editor_page
):
    page = editor_page
    page.goto(f"{live_server.url}{ADD}")
    page.fill("#id_title", "Post-Traumatic Stress Disorder")
    page.fill("#id_summary", "Fear that outlasts the danger.")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Draft autosaved at")
    created = Condition.objects.get()
    change = f"{live_server.url}/admin/conditions/condition/{created.pk}/change/"
    expect(page).to_have_url(change)
    assert page.evaluate("Object.keys(localStorage).filter(k => k.includes(':add:'))") == []

    page.fill("#id_summary", "Fear that outlasts the danger, for months.")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    assert Condition.objects.get().summary == "Fear that outlasts the danger, for months."

    page.goto(f"{live_server.url}{ADD}")
    expect(page.locator(".local-draft")).to_have_count(0)
    expect(page.locator("#id_title")).to_have_value("")


def test_a_new_page_saved_with_the_button_leaves_nothing_to_restore(live_server, editor_page):
    page = editor_page
    page.goto(f"{live_server.url}{ADD}")
    page.evaluate("document.querySelector('form.editor-form').dataset.autosaveSeconds = 999")
    page.fill("#id_summary", "Typed first, titled later.")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Kept in this browser")
    page.fill("#id_title", "Bipolar Depression")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("added successfully")
    page.goto(f"{live_server.url}{ADD}")
    expect(page.locator("#id_title")).to_have_value("")
    expect(page.locator(".local-draft")).to_have_count(0)
