"""The whole review story, played in Chromium through the real admin.

An editor changes the live demo page and submits it; a physician reads the diff and signs with
the password; a publisher publishes; the public page shows the new text and the new stamp.
"""

import os

import pytest
from django.utils import formats, timezone
from playwright.sync_api import expect

from tests.browser import chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_SENTENCE = "Response is usually judged after six treatments."
OCD_ADMIN = "/admin/conditions/condition/{pk}/change/"


@pytest.fixture
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def demo_page(live_server, settings):
    from conditions.demo_content import load_demo
    from conditions.models import Condition

    settings.DEBUG = True  # the demo accounts get their documented passwords only in DEBUG
    load_demo()
    settings.DEBUG = False
    return Condition.objects.get(slug="treatment-resistant-ocd")


def sign_in(browser, live_server, username, password):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("Log out")
    return page


def shot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"story-{name}.png"), full_page=True)


def test_editor_physician_and_publisher_take_a_change_to_the_public(
    browser, live_server, demo_page
):
    public_url = f"{live_server.url}/conditions/treatment-resistant-ocd/"
    change_url = live_server.url + OCD_ADMIN.format(pk=demo_page.pk)

    editor = sign_in(browser, live_server, "editor", "tovani-editor")
    editor.goto(change_url)
    summary = editor.locator("#id_summary")
    summary.fill(f"{summary.input_value()} {NEW_SENTENCE}")
    editor.click("input[name=_continue]")
    panel = editor.locator(".workflow-panel")
    expect(panel.locator(".workflow-state")).to_have_text("Live, with unreviewed changes")
    expect(panel.get_by_role("link", name="Review and sign off")).to_have_count(0)
    expect(panel.get_by_role("button", name="Publish")).to_have_count(0)
    editor.locator("details.workflow-fold > summary").click()  # the folded workflow panel
    editor.fill("#id_note", "Added the usual timing of response.")
    editor.get_by_role("button", name="Submit for review", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("Submitted for review.")
    shot(editor, "1-editor-submitted")
    # The editor's live preview keeps asking the server; on SQLite its reads can hold up the
    # physician's requests, so the editor leaves the page as a person would.
    editor.close()

    visitor = browser.new_page()
    visitor.goto(public_url)
    expect(visitor.locator("main")).not_to_contain_text(NEW_SENTENCE)

    physician = sign_in(browser, live_server, "ben.soffer", "tovani-physician")
    physician.get_by_role("link", name="Review queue").click()
    physician.locator("#awaiting-review").get_by_role(
        "link", name="Treatment-Resistant OCD"
    ).click()
    expect(physician.locator("ins.diff")).to_contain_text(NEW_SENTENCE)
    expect(physician.locator(".diff-section.changed h3")).to_have_text(["Summarychanged"])
    shot(physician, "2-physician-review")
    physician.fill("#id_password", "tovani-physician")
    physician.fill("#id_note", "Timing matches the protocol.")
    physician.get_by_role("button", name="Sign off").click()
    expect(physician.locator(".workflow-state")).to_have_text("Approved, not yet published")

    publisher = sign_in(browser, live_server, "publisher", "tovani-publisher")
    publisher.goto(change_url)
    publisher.get_by_role("button", name="Publish", exact=True).click()
    expect(publisher.locator(".messagelist")).to_contain_text("Published.")
    expect(publisher.locator(".workflow-state")).to_have_text("Live")
    shot(publisher, "3-publisher-published")

    # A new visitor: the first one's browser may keep its copy for PAGE_MAX_AGE seconds.
    visitor = browser.new_context().new_page()
    visitor.goto(public_url)
    today = formats.date_format(timezone.localdate(), "F j, Y")
    expect(visitor.locator("main")).to_contain_text(NEW_SENTENCE)
    expect(visitor.locator(".review-stamp")).to_contain_text(
        f"Last reviewed by Dr. Ben Soffer, DO on {today}."
    )
    shot(visitor, "4-public-page")
