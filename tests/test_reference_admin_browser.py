"""The reference screens in Chromium: the add form fills in the citekey as the authors and year
are typed, and the import preview of the seed paper's list fits a 1280 px screen and goes back
to the form with the list kept. SCREENSHOT_DIR keeps the pictures."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from references.models import Reference
from tests.browser import DESKTOP, chromium
from tests.conftest import PASSWORD, make_reference, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TAIL = Path(__file__).parent / "data" / "references" / "bottemanne-2021-reference-tail.txt"


@pytest.fixture
def editor_page(live_server):
    user = make_user("edna", "Editors")
    with chromium() as browser:
        page = browser.new_context(viewport=DESKTOP).new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        expect(page.locator("#user-tools")).to_contain_text("Log out")
        yield page


def shot(page, tmp_path, name, full_page=True):
    path = Path(os.environ.get("SCREENSHOT_DIR", tmp_path)) / f"references-{name}.png"
    page.screenshot(path=path, full_page=full_page)
    return path


def test_the_add_form_suggests_the_citekey_as_the_editor_types(live_server, editor_page, tmp_path):
    """Typing “Murrough JW, …” and 2013 fills in murrough2013a next to a taken murrough2013."""
    make_reference("murrough2013")
    errors = []
    editor_page.on("pageerror", lambda error: errors.append(str(error)))
    editor_page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    editor_page.goto(f"{live_server.url}/admin/references/reference/add/")
    editor_page.fill("#id_authors", "Murrough JW, Iosifescu DV, Chang LC")
    editor_page.locator("#id_year").press_sequentially("2013")
    expect(editor_page.locator("#id_citekey")).to_have_value("murrough2013a")
    expect(editor_page.locator(".citekey-suggestion")).to_contain_text("murrough2013a")
    shot(editor_page, tmp_path, "add-form")
    # A key the editor typed is theirs: changing the year no longer replaces it.
    editor_page.fill("#id_citekey", "murrough-ajp")
    editor_page.fill("#id_year", "2014")
    editor_page.wait_for_timeout(600)
    expect(editor_page.locator("#id_citekey")).to_have_value("murrough-ajp")
    assert errors == []


def test_the_import_preview_fits_1280_pixels_and_goes_back_with_the_list(
    live_server, editor_page, tmp_path
):
    """36 references with their notes, no sideways scrolling, and the list kept going back."""
    text = TAIL.read_text(encoding="utf-8")
    editor_page.goto(f"{live_server.url}/admin/references/reference/import/file/")
    editor_page.fill("#id_text", text)
    editor_page.click("input[type=submit][value=Preview]")
    expect(editor_page.locator("table.import-preview tbody tr")).to_have_count(36)
    expect(editor_page.locator("table.import-preview")).to_contain_text(
        "Broström J. Ketamine for depression: the role of dissociative effects. Thesis."
    )
    width = editor_page.evaluate("document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"]
    shot(editor_page, tmp_path, "import-preview")
    shot(editor_page, tmp_path, "import-preview-screen", full_page=False)
    editor_page.click("input[value='Back to the form, with the input kept']")
    expect(editor_page.locator("#id_text")).to_have_value(text.strip())
    shot(editor_page, tmp_path, "import-form-back", full_page=False)
    assert not Reference.objects.exists()
