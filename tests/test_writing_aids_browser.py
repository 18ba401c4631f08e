"""Writing aids on the condition editor, in Chromium: the Markdown toolbar and its shortcuts
leave plain Markdown; rich text pasted from a word processor or a web page arrives as Markdown
with what the sanitizer would drop left out; a captioned table shows in the preview with its
header cells; the preview switches between phone and desktop widths. SCREENSHOT_DIR keeps a
picture of the toolbar, the pasted text and each preview width."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests import editor_flow as page_data
from tests.browser import DESKTOP, chromium
from tests.conftest import PASSWORD, make_condition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEFINITION = "#id_clinical_definition"

WORD = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p {color:red}</style>
<script>alert(1)</script></head><body lang=EN-US>
<h1>Dosing</h1>
<p class=MsoNormal>Ketamine is given <b>slowly</b> and <i>under watch</i>.<o:p></o:p></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-.25in;mso-list:l0 level1 lfo1'>
<![if !supportLists]><span style='font-family:Symbol;mso-list:Ignore'>·<span>&nbsp;</span></span>
<![endif]>First infusion<o:p></o:p></p>
<p class=MsoListParagraphCxSpLast style='text-indent:-.25in;mso-list:l0 level1 lfo1'>
<![if !supportLists]><span style='font-family:Symbol;mso-list:Ignore'>·<span>&nbsp;</span></span>
<![endif]>Second infusion<o:p></o:p></p>
<p class=MsoNormal><img src="x.png" onerror="alert(2)">See
<a href="https://pubmed.ncbi.nlm.nih.gov/23783065/">the trial</a> and
<a href="javascript:alert(3)">this</a>.</p>
</body></html>"""

WORD_MARKDOWN = (
    "### Dosing\n\n"
    "Ketamine is given **slowly** and *under watch*.\n\n"
    "- First infusion\n"
    "- Second infusion\n\n"
    "See [the trial](https://pubmed.ncbi.nlm.nih.gov/23783065/) and this."
)

WEB = """<meta charset="utf-8"><h2 style="color:#333">How it works</h2><div><span
style="font-weight:700">NMDA</span> blockade, then <em>synaptogenesis</em>.</div><ol><li>Fast
<ul><li>hours</li></ul></li><li>Short-lived</li></ol><iframe src="https://evil.test"></iframe>
<table><caption>Response rates</caption><tr><th>Drug</th><th>Rate</th></tr><tr><td>Ketamine</td>
<td>70%</td></tr></table><svg><text>drawn</text></svg>"""

WEB_MARKDOWN = (
    "### How it works\n\n"
    "**NMDA** blockade, then *synaptogenesis*.\n\n"
    "1. Fast\n"
    "    - hours\n"
    "2. Short-lived\n\n"
    "Table: Response rates\n\n"
    "| Drug | Rate |\n"
    "| --- | --- |\n"
    "| Ketamine | 70% |"
)


@pytest.fixture
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def editor_page(browser, live_server, editor):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("Log out")
    yield page
    status = page.locator("[data-preview-status]")
    if status.count():
        expect(status).not_to_have_text("Updating the preview…")
    page.wait_for_load_state("networkidle")
    context.close()


def shot(page, name, tmp_path):
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    page.screenshot(path=folder / f"writing-{name}-{page.viewport_size['width']}.png")


def open_clinical_text(page, live_server, condition):
    page.goto(f"{live_server.url}/admin/conditions/condition/{condition.pk}/change/")
    page.get_by_role("tab", name="Clinical text").click()


def select(page, selector, start, end):
    page.locator(selector).evaluate(
        "(field, [start, end]) => { field.focus(); field.setSelectionRange(start, end); }",
        [start, end],
    )


def value(page, selector=DEFINITION):
    return page.input_value(selector)


def test_the_toolbar_and_its_shortcuts_leave_plain_markdown(
    editor_page, live_server, editor, tmp_path
):
    page_data.library()
    page = editor_page
    open_clinical_text(page, live_server, make_condition(editor))
    toolbar = page.get_by_role("toolbar", name="Formatting for Clinical definition")
    expect(toolbar.get_by_role("button")).to_have_count(5)

    page.fill(DEFINITION, "Ketamine works fast")
    select(page, DEFINITION, 9, 14)
    page.keyboard.press("Control+b")
    assert value(page) == "Ketamine **works** fast"
    page.keyboard.press("Control+b")  # pressed again, the marks come off
    assert value(page) == "Ketamine works fast"
    select(page, DEFINITION, 15, 19)
    page.keyboard.press("Control+i")
    assert value(page) == "Ketamine works *fast*"
    page.keyboard.press("End")
    page.keyboard.type(" in ")
    page.keyboard.press("Control+k")
    page.keyboard.type("the trial")
    assert value(page) == "Ketamine works *fast* in [the trial](https://)"

    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("One\nTwo")
    select(page, DEFINITION, len(value(page)) - 7, len(value(page)))
    toolbar.get_by_role("button", name="Bulleted list").click()
    assert value(page).endswith("[the trial](https://)\n\n- One\n- Two")

    # The toolbar is one stop for Tab; the arrow keys move along it; Enter presses.
    page.keyboard.press("End")
    page.keyboard.type(" ")
    toolbar.get_by_role("button", name="Bold").focus()
    page.keyboard.press("End")
    expect(toolbar.get_by_role("button", name="Cite a reference")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(DEFINITION)).to_be_focused()
    assert value(page).endswith("- Two [@]")
    suggestions = page.get_by_role("listbox", name="References in the library")
    expect(suggestions).to_be_visible()
    page.keyboard.press("Enter")
    assert value(page).endswith("- Two [@daly2018]")
    shot(page, "toolbar", tmp_path)

    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")


def paste(page, html, selector=DEFINITION):
    page.locator(selector).evaluate(
        """(field, html) => {
            field.focus();
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "plain");
            field.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
                                                            cancelable: true}));
        }""",
        html,
    )


def test_rich_text_pasted_from_a_word_processor_becomes_markdown(
    editor_page, live_server, editor, tmp_path
):
    page = editor_page
    open_clinical_text(page, live_server, make_condition(editor))
    page.fill(DEFINITION, "")
    paste(page, WORD)
    assert value(page) == WORD_MARKDOWN
    frame = page.frame_locator(".preview-frame")
    expect(frame.locator("h3", has_text="Dosing")).to_be_visible()
    expect(frame.locator("li", has_text="Second infusion")).to_be_visible()
    expect(frame.locator("a", has_text="the trial")).to_have_attribute(
        "href", "https://pubmed.ncbi.nlm.nih.gov/23783065/"
    )
    shot(page, "pasted-word", tmp_path)


def test_rich_text_pasted_from_a_web_page_becomes_markdown_with_its_table(
    editor_page, live_server, editor, tmp_path
):
    page = editor_page
    open_clinical_text(page, live_server, make_condition(editor))
    page.fill(DEFINITION, "")
    paste(page, WEB)
    assert value(page) == WEB_MARKDOWN
    table = page.frame_locator(".preview-frame").locator("table")
    expect(table.locator("caption")).to_have_text("Response rates")
    expect(table.locator("th[scope=col]")).to_have_count(2)
    expect(table.locator("td", has_text="70%")).to_be_visible()
    shot(page, "pasted-web", tmp_path)


def test_plain_text_pastes_as_it_is(editor_page, live_server, editor):
    page = editor_page
    open_clinical_text(page, live_server, make_condition(editor))
    page.fill(DEFINITION, "")
    page.locator(DEFINITION).evaluate(
        """field => {
            field.focus();
            const data = new DataTransfer();
            data.setData("text/plain", "Just *text*");
            const event = new ClipboardEvent("paste", {clipboardData: data, cancelable: true});
            field.dispatchEvent(event);
            field.dataset.handled = String(event.defaultPrevented);
        }"""
    )
    expect(page.locator(DEFINITION)).to_have_attribute("data-handled", "false")


def test_the_preview_switches_between_phone_and_desktop_widths(
    editor_page, live_server, editor, tmp_path
):
    page = editor_page
    page.goto(f"{live_server.url}/admin/conditions/condition/{make_condition(editor).pk}/change/")
    frame = page.locator(".preview-frame")
    expect(page.frame_locator(".preview-frame").locator("h1")).to_have_text("Test Condition")
    phone = page.get_by_role("button", name="Phone width, 390 pixels")
    desktop = page.get_by_role("button", name="Desktop width, 1280 pixels")
    expect(phone).to_have_attribute("aria-pressed", "true")
    assert frame.bounding_box()["width"] == pytest.approx(390, abs=2)  # and its border
    assert frame.evaluate("f => f.contentWindow.innerWidth") == 390
    shot(page, "preview-phone", tmp_path)

    desktop.click()
    expect(desktop).to_have_attribute("aria-pressed", "true")
    expect(phone).to_have_attribute("aria-pressed", "false")
    assert frame.evaluate("f => f.contentWindow.innerWidth") == 1280
    stage = page.locator(".preview-stage").bounding_box()
    shown = frame.bounding_box()
    assert shown["width"] == pytest.approx(stage["width"], abs=2)
    assert shown["height"] == pytest.approx(stage["height"], abs=2)
    shot(page, "preview-desktop", tmp_path)

    page.reload()  # the choice is remembered
    expect(page.get_by_role("button", name="Desktop width, 1280 pixels")).to_have_attribute(
        "aria-pressed", "true"
    )
