"""A second review round in Chromium: after a request for changes, the physician sees only the
key point the editor changed, the editor's reply beside it, and the change summary carried over
from the first submission."""

import os
from pathlib import Path

import pytest
import reversion
from django.contrib.auth.models import User
from playwright.sync_api import expect

from reviews import comments, workflow
from tests.browser import chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUMMARY = "Clarified what the first ketamine trial in OCD found."
REPLY = "Done: it now says the trial was small."


@pytest.fixture
def browser():
    with chromium() as launched:
        yield launched


def reword(page, point, editor, text):
    with reversion.create_revision():
        reversion.set_user(editor)
        point.text = text
        point.save()
        page.save()


@pytest.fixture
def returned_page(live_server, settings):
    """The live demo page, its trial key point reworded, submitted, commented on and sent back;
    then reworded again by the editor, who replied to the comment."""
    from conditions.demo_content import load_demo
    from conditions.models import Condition

    settings.DEBUG = True  # the demo accounts get their documented passwords only in DEBUG
    load_demo()
    settings.DEBUG = False
    page = Condition.objects.get(slug="treatment-resistant-ocd")
    editor, physician = User.objects.get(username="editor"), User.objects.get(username="ben.soffer")
    point = page.key_points.all()[3]
    reword(page, point, editor, point.text.replace("rapid reductions", "fast reductions"))
    workflow.submit_for_review(page, editor, "Reworded the trial point.", change_summary=SUMMARY)
    comment = comments.add_comment(
        page, physician, comments.anchor(point, "text"), "Say how small the trial was."
    )
    workflow.request_changes(page, physician, "See my comment on the trial point.")
    reword(page, point, editor, point.text.replace("early signal", "early signal from 15 adults"))
    comments.reply(page, editor, comment.pk, REPLY)
    return page, comment


def sign_in(browser, live_server, username, password):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("Log out")
    return page


def shot(page, name, tmp_path):
    path = Path(os.environ.get("SCREENSHOT_DIR", tmp_path)) / f"review-round-{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 0


# The change page's live preview reads the page as the editor types; on SQLite a read in flight
# locks a write out, so the editor submits once the page is quiet, as a person would.


def test_the_second_review_shows_the_one_changed_point_the_reply_and_the_summary(
    browser, live_server, returned_page, tmp_path
):
    page, comment = returned_page
    admin = f"{live_server.url}/admin/conditions/condition/{page.pk}"

    editor = sign_in(browser, live_server, "editor", "tovani-editor")
    editor.goto(f"{admin}/change/", wait_until="networkidle")
    expect(editor.locator(f"#comment-{comment.pk}")).to_contain_text(REPLY)
    expect(editor.locator("#id_change_summary")).to_have_value(SUMMARY)
    expect(editor.locator("#id_note")).to_have_value("Reworded the trial point.")
    shot(editor, "1-editor-resubmits", tmp_path)
    expect(editor.locator("[data-preview-status]")).to_have_text(
        "The preview shows the page as it stands in this form.", timeout=20_000
    )
    editor.get_by_role("button", name="Submit for review", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("Submitted for review.")
    editor.close()

    physician = sign_in(browser, live_server, "ben.soffer", "tovani-physician")
    physician.goto(f"{admin}/review/")
    expect(physician.locator(".review-baseline")).to_contain_text(
        "Changes since Dr. Ben Soffer, DO asked for changes"
    )
    expect(physician.locator(".diff-section.changed h3")).to_have_text(["The short versionchanged"])
    expect(physician.locator("li.changed")).to_have_count(1)
    expect(physician.locator("li.changed ins.diff")).to_have_text("from 15 adults ")
    threads = physician.locator(".diff-section.changed .section-threads")
    expect(threads).to_contain_text("Say how small the trial was.")
    expect(threads).to_contain_text(REPLY)
    expect(physician.locator(".carried-summary")).to_contain_text(SUMMARY)
    expect(physician.locator("#id_change_summary")).to_have_value(SUMMARY)
    shot(physician, "2-second-review", tmp_path)

    physician.get_by_role("link", name="Changes since the last sign-off").click()
    expect(physician.locator(".review-baseline")).to_contain_text("signed off on")
    shot(physician, "3-since-last-sign-off", tmp_path)
