"""In Chromium, an editor finds a reference for the page by typing, picks it, and saves.

The References field of the condition form is a search-as-you-type box (the admin's
autocomplete): typing part of an author's name lists the matches, a click adds one, and the
save attaches it to the page. SCREENSHOT_DIR keeps a picture of the open list.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conditions.models import Condition
from tests.browser import DESKTOP, chromium
from tests.conftest import PASSWORD, make_condition, make_reference

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_editor_finds_a_reference_by_typing_and_saves_it_on_the_page(
    live_server, editor, tmp_path
):
    """Typing “Bloch” lists bloch2012 among the references; picking it and saving attaches it."""
    make_reference("rodriguez2013")
    make_reference("bloch2012", authors="Bloch MH, Wasylink S", title="Effects of ketamine")
    page_row = make_condition(editor)
    with chromium() as browser:
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", editor.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.goto(f"{live_server.url}/admin/conditions/condition/{page_row.pk}/change/")
        page.get_by_role("tab", name="References").click()

        page.evaluate("window.scrollBy(0, 400)")  # clear of the sticky action bar
        page.locator(".field-references .select2-selection").click()
        page.keyboard.type("Bloch")
        option = page.locator(".select2-results__option", has_text="bloch2012")
        expect(option).to_be_visible()
        expect(page.locator(".select2-results__option.loading-results")).to_have_count(0)
        expect(page.locator(".select2-results__option")).to_have_count(1)
        folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
        page.screenshot(path=folder / "references-chooser-1280.png")
        option.click()
        page.locator("[name=_continue]").first.click()
        expect(page.locator(".messagelist").first).to_contain_text("was changed successfully")
        page.wait_for_load_state("networkidle")
        context.close()

    citekeys = Condition.objects.get(pk=page_row.pk).references.values_list("citekey", flat=True)
    assert list(citekeys) == ["bloch2012"]
