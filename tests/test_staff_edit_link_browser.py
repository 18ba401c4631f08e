"""In Chromium: an editor signed in to the admin sees "Edit this page" on the public condition
page and it leads to the page's change screen; an anonymous reader sees no link and their browser
never asks the endpoint. SCREENSHOT_DIR keeps both pictures."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reviews import workflow
from tests.browser import DESKTOP, chromium
from tests.conftest import PASSWORD
from tests.translating import english_page, spanish_physician, translated_page, translator_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PUBLIC = "/conditions/test-condition/"


def test_an_editor_sees_edit_this_page_and_a_reader_does_not(
    live_server, published, editor, tmp_path
):
    shots = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        reader = browser.new_context(viewport=DESKTOP).new_page()
        asked = []
        reader.on("request", lambda r: asked.append(r.url) if "edit-link/" in r.url else None)
        reader.goto(f"{live_server.url}{PUBLIC}")
        reader.wait_for_load_state("networkidle")
        expect(reader.locator("h1")).to_have_text("Test Condition")
        expect(reader.locator(".staff-edit-link")).to_have_count(0)
        assert asked == []  # no hint cookie: the reader's browser asks nothing
        reader.screenshot(path=str(shots / "edit-link-reader.png"))

        staff = browser.new_context(viewport=DESKTOP).new_page()
        staff.goto(f"{live_server.url}/admin/login/")
        staff.fill("#id_username", editor.username)
        staff.fill("#id_password", PASSWORD)
        staff.click("input[type=submit]")
        expect(staff.locator("#user-tools")).to_contain_text("Log out")
        staff.goto(f"{live_server.url}{PUBLIC}")
        link = staff.get_by_role("link", name="Edit this page")
        expect(link).to_be_visible()
        staff.screenshot(path=str(shots / "edit-link-editor.png"))
        link.click()
        expect(staff).to_have_url(
            f"{live_server.url}/admin/conditions/condition/{published.pk}/change/"
        )

        # Signed out, the same browser shows no link again.
        staff.goto(f"{live_server.url}/admin/")
        staff.locator("#logout-form button").click()
        staff.goto(f"{live_server.url}{PUBLIC}")
        staff.wait_for_load_state("networkidle")
        expect(staff.locator(".staff-edit-link")).to_have_count(0)


def test_a_translator_sees_edit_this_page_on_the_spanish_page(
    live_server, editor, physician_user, publisher, tmp_path
):
    """The Spanish page loads the same script; its link leads to the translation's screen."""
    shots = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    translator = translator_user()
    translation = translated_page(english_page(editor, physician_user, publisher), translator)
    workflow.sign_off(translation, spanish_physician(), PASSWORD)
    workflow.publish(translation, publisher)
    with chromium() as browser:
        staff = browser.new_context(viewport=DESKTOP).new_page()
        staff.goto(f"{live_server.url}/admin/login/")
        staff.fill("#id_username", translator.username)
        staff.fill("#id_password", PASSWORD)
        staff.click("input[type=submit]")
        expect(staff.locator("#user-tools")).to_contain_text("Log out")
        staff.goto(f"{live_server.url}/es/conditions/test-condition/")
        expect(staff.locator("h1")).to_have_text("Trastorno de prueba")
        link = staff.get_by_role("link", name="Edit this page")
        expect(link).to_be_visible()
        staff.screenshot(path=str(shots / "edit-link-translator-es.png"))
        link.click()
        expect(staff).to_have_url(
            f"{live_server.url}/admin/translations/translation/{translation.pk}/change/"
        )
