"""The condition editor in Chromium: a whole page written through the new form.

An editor writes the Treatment-Resistant Depression page section by section through the tabs,
drags a key point into place, picks a citation from the suggestions, fixes the one error the
save reports from the error summary, and saves. After sign-off and publish the public page shows
what was written. axe finds no serious or critical violation on the add and change forms, and
autosave keeps the work without duplicating rows. SCREENSHOT_DIR keeps a picture of each state
at desktop and phone widths; the clicks, screens and seconds the page took are printed.
"""

import json
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conditions.models import Condition, Treatment
from reviews import workflow
from tests import editor_flow as page_data
from tests.browser import DESKTOP, PHONE, chromium
from tests.conftest import PASSWORD, edit, make_condition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
ADD = "/admin/conditions/condition/add/"


OPEN_PAGES = []


@pytest.fixture(autouse=True)
def _close_pages():
    """Each editor's page closes once its preview has settled: no request of its own is left
    running when the test's database is emptied."""
    yield
    while OPEN_PAGES:
        page = OPEN_PAGES.pop()
        if not page.is_closed():
            settle(page)
            page.context.close()


def settle(page):
    if page.locator("[data-preview-status]").count():
        expect(page.locator("[data-preview-status]")).not_to_have_text("Updating the preview…")
        page.wait_for_load_state("networkidle")


@pytest.fixture
def browser():
    # One per test: a browser kept open across tests keeps Playwright's event loop running
    # while the next test's database is restored, and the restore does not happen.
    with chromium() as launched:
        yield launched


def signed_in(browser, live_server, user, viewport=DESKTOP, **options):
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("Log out")
    OPEN_PAGES.append(page)
    return page


def shot(page, name, tmp_path):
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    page.screenshot(path=folder / f"editor-{name}-{page.viewport_size['width']}.png")


class Writer:
    """The editor's hands on the new form: every click goes through the effort counter."""

    def __init__(self, page):
        self.page = page
        self.effort = page_data.Effort(page)

    def tab(self, name):
        self.effort.click(self.page.get_by_role("tab", name=name))
        expect(self.page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")

    def add_row(self, prefix):
        rows = self.page.locator(f"#{prefix}-group .dynamic-{prefix}")
        before = rows.count()
        self.effort.click(self.page.locator(f"#{prefix}-group .add-row a"))
        expect(rows).to_have_count(before + 1)
        return before

    def rows(self, prefix, values, fill):
        """Fill the blank row a new page starts with, then add a row for each other value."""
        ready = self.page.locator(f"#{prefix}-group .dynamic-{prefix}").count()
        for index, row in enumerate(values):
            fill(index if index < ready else self.add_row(prefix), row)


def write_the_depression_page(writer, tmp_path):
    page, effort = writer.page, writer.effort
    page.fill("#id_title", page_data.TITLE)
    page.fill("#id_summary", page_data.SUMMARY)

    def code(i, row):
        effort.select(f"#id_codes-{i}-system", row[0])
        page.fill(f"#id_codes-{i}-code", row[1])
        page.fill(f"#id_codes-{i}-qualifier", row[2])

    writer.rows("codes", page_data.CODES, code)
    writer.rows(
        "search_phrases",
        page_data.PHRASES,
        lambda i, row: page.fill(f"#id_search_phrases-{i}-phrase", row),
    )

    writer.tab("The short version")
    # Written out of order: the last point is dragged up into third place below.
    first, second, third, fourth = page_data.KEY_POINTS
    typed = [None, second.replace("murrough2013", page_data.MISTYPED_KEY), fourth, third]
    writer.rows(
        "key_points",
        typed,
        lambda i, text: text is not None and page.fill(f"#id_key_points-{i}-text", text),
    )
    # The first point's citation is picked from the suggestions.
    field = page.locator("#id_key_points-0-text")
    field.click()
    field.press_sequentially(first.split("[@")[0] + "[@ru")
    suggestion = page.get_by_role("option", name="@rush2006")
    expect(suggestion).to_contain_text("Rush AJ 2006")
    expect(suggestion).to_contain_text("Acute and longer-term outcomes")
    shot(page, "suggestions", tmp_path)
    effort.click(suggestion)
    field.press_sequentially(".")
    expect(field).to_have_value(first)
    drag(page, "#key_points-3 .order-handle", "#key_points-2")
    effort.clicks += 1  # the drag: one press, one release
    shown = page.locator("#key_points-group .dynamic-key_points textarea")
    assert shown.evaluate_all("fields => fields.map(f => f.value)") == [
        first,
        typed[1],
        third,
        fourth,
    ]

    writer.tab("Clinical text")
    page.fill("#id_clinical_definition", page_data.DEFINITION)

    writer.tab("Comparisons")

    def comparison(i, row):
        page.fill(f"#id_comparisons-{i}-name", row[0])
        page.fill(f"#id_comparisons-{i}-text", row[1])

    writer.rows("comparisons", page_data.COMPARISONS, comparison)

    writer.tab("Treatments")

    def treatment(i, row):
        name, line, description = row
        if name == "Ketamine infusion":
            # Not in the library: named here, created when the page saves.
            row = page.locator(f"#condition_treatments-{i}")
            effort.click(row.get_by_role("radio", name="a new treatment"))
            expect(page.locator(f"#id_condition_treatments-{i}-treatment")).to_be_hidden()
            page.fill(f"#id_condition_treatments-{i}-new_treatment_name", name)
            effort.select(f"#id_condition_treatments-{i}-new_treatment_kind", "medication")
            page.fill(f"#id_condition_treatments-{i}-new_treatment_summary", "Ketamine by drip.")
        else:
            effort.click(page.locator(f"#condition_treatments-{i} .select2-selection"))
            page.keyboard.type(name)
            effort.click(page.locator(".select2-results__option", has_text=name))
            expect(
                page.locator(f"#condition_treatments-{i} [data-shared-summary]")
            ).to_contain_text("Shared: used by 0 pages.")
        effort.select(f"#id_condition_treatments-{i}-line_of_therapy", line)
        page.fill(f"#id_condition_treatments-{i}-description", description)

    writer.rows("condition_treatments", page_data.TREATMENTS, treatment)

    writer.tab("FAQs")

    def faq(i, row):
        page.fill(f"#id_faqs-{i}-question", row[0])
        page.fill(f"#id_faqs-{i}-answer", row[1])

    writer.rows("faqs", page_data.FAQS, faq)

    effort.click(page.locator("input[name=_continue]"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("did you mean @murrough2013?")
    expect(page.get_by_role("tab", name="The short version 1 error")).to_have_attribute(
        "aria-selected", "true"
    )
    shot(page, "error-summary", tmp_path)
    effort.click(summary.get_by_role("link", name="Key point 2 · Text"))
    broken = page.locator("#id_key_points-1-text")
    expect(broken).to_be_focused()
    expect(broken).to_have_value(typed[1])
    broken.fill(second)
    effort.click(page.locator("input[name=_continue]"))
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")


def drag(page, handle_selector, onto_selector):
    page.locator(handle_selector).evaluate("el => el.scrollIntoView({block: 'center'})")
    handle = page.locator(handle_selector).bounding_box()
    onto = page.locator(onto_selector).bounding_box()
    page.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    page.mouse.down()
    page.mouse.move(onto["x"] + 40, onto["y"] + 10, steps=8)
    page.mouse.up()


def test_an_editor_writes_a_whole_page_that_the_public_reads_after_sign_off(
    browser, live_server, editor, physician_user, publisher, tmp_path
):
    page_data.library()
    Treatment.objects.filter(name="Ketamine infusion").delete()
    page = signed_in(browser, live_server, editor)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + ADD)
    writer = Writer(page)
    write_the_depression_page(writer, tmp_path)
    effort = writer.effort.report()
    print("EDITOR EFFORT", json.dumps(effort))
    assert errors == []
    settle(page)
    page.context.close()

    condition = Condition.objects.get(slug=page_data.SLUG)
    assert [point.text for point in condition.key_points.all()] == page_data.KEY_POINTS
    assert condition.codes.count() == 3
    assert condition.search_phrases.count() == 3
    assert condition.comparisons.count() == 2
    assert condition.faqs.count() == 3
    assert sorted(condition.references.values_list("citekey", flat=True)) == sorted(
        page_data.REFERENCES
    )
    created = Treatment.objects.get(name="Ketamine infusion")
    assert created.summary == "Ketamine by drip."

    workflow.submit_for_review(condition, editor)
    workflow.sign_off(condition, physician_user, PASSWORD)
    workflow.publish(condition, publisher)
    visitor = browser.new_context(viewport=PHONE).new_page()
    visitor.goto(f"{live_server.url}/conditions/{page_data.SLUG}/")
    expect(visitor.locator("h1")).to_have_text(page_data.TITLE)
    points = visitor.locator(".key-points li")
    expect(points).to_have_count(4)
    expect(points.nth(0)).to_contain_text("do not respond to two antidepressants1")
    expect(points.nth(2)).to_contain_text("Esketamine nasal spray is approved for TRD")
    expect(visitor.locator("main")).to_contain_text("Ketamine infusion")
    expect(visitor.locator("#ref-2")).to_contain_text("Murrough JW")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_violation_on_the_add_and_change_forms(
    browser, live_server, editor, viewport, tmp_path
):
    page_data.library()
    existing = make_condition(editor, clinical_definition="Works fast [@rush2006].")
    # axe is injected as an inline script, which the admin's CSP forbids: the tool is exempt.
    page = signed_in(browser, live_server, editor, viewport, bypass_csp=True)
    found = {}
    for name, url in {
        "add": ADD,
        "change": f"/admin/conditions/condition/{existing.pk}/change/",
    }.items():
        page.goto(live_server.url + url)
        page.locator("#key_points-group .add-row a").first.evaluate("link => link.click()")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        found[name] = [
            f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
            for v in result["violations"]
            if v["impact"] in {"serious", "critical"}
        ]
        shot(page, f"tabs-{name}", tmp_path)
    assert found == {"add": [], "change": []}


def test_the_preview_beside_the_form_shows_what_is_typed(browser, live_server, editor, tmp_path):
    """Beside the form on a wide screen; in its own tab on a phone."""
    page_data.library()
    existing = make_condition(editor, title="Working title")
    for viewport in (DESKTOP, PHONE):
        page = signed_in(browser, live_server, editor, viewport)
        page.goto(f"{live_server.url}/admin/conditions/condition/{existing.pk}/change/")
        page.fill("#id_title", f"Typed at {viewport['width']} px")
        if viewport is PHONE:
            expect(page.locator(".editor-preview")).to_be_hidden()
            page.get_by_role("tab", name="Preview").click()
            expect(page.locator("#panel-summary")).to_be_hidden()
        frame = page.frame_locator(".preview-frame")
        expect(frame.locator("h1")).to_have_text(f"Typed at {viewport['width']} px")
        expect(frame.locator(".preview-banner")).to_contain_text("Draft — not reviewed.")
        shot(page, "preview", tmp_path)
    existing.refresh_from_db()
    assert existing.title == "Working title"


def test_an_untouched_add_form_s_preview_names_no_problems_until_something_is_typed(
    browser, live_server, editor
):
    """A new page's empty form is not a mistake; once something is typed, problems are named."""
    page = signed_in(browser, live_server, editor)
    page.goto(f"{live_server.url}{ADD}")
    status = page.locator("[data-preview-status]")
    expect(status).to_have_text("The preview appears here as you write.")
    expect(page.locator(".errornote, .errorlist")).to_have_count(0)
    page.fill("#id_summary", "A summary with no title yet.")
    expect(status).to_contain_text("Preview paused:")


def test_a_key_point_moves_with_the_arrow_keys_on_its_handle(browser, live_server, editor):
    page_data.library()
    existing = make_condition(editor)
    for order, text in enumerate(["One", "Two", "Three"], start=1):
        existing.key_points.create(text=text, sort_order=order)
    page = signed_in(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/conditions/condition/{existing.pk}/change/")
    page.get_by_role("tab", name="The short version").click()
    handle = page.get_by_role("button", name="Move key points row 3 of 3")
    handle.focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.locator("[data-announcer]")).to_have_text("Moved to row 1 of 3.")
    expect(page.get_by_role("button", name="Move key points row 1 of 3")).to_be_focused()
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    assert [p.text for p in existing.key_points.all()] == ["Three", "One", "Two"]


def test_autosave_keeps_new_rows_once_and_warns_when_someone_else_saved(
    browser, live_server, editor, publisher
):
    page_data.library()
    existing = make_condition(editor)
    page = signed_in(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/conditions/condition/{existing.pk}/change/")
    page.get_by_role("tab", name="The short version").click()
    page.locator("#key_points-group .add-row a").click()
    page.fill("#id_key_points-0-text", "Kept by the autosave.")
    page.locator("#key_points-group .add-row a").click()  # left empty
    page.evaluate("document.querySelector('form.editor-form').editorAutosave()")
    expect(page.locator("[data-autosave-status]")).to_contain_text("Draft autosaved at")
    assert existing.key_points.count() == 1
    page.fill("#id_key_points-0-text", "Then saved for real.")
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    assert [p.text for p in existing.key_points.all()] == ["Then saved for real."]

    settle(page)  # nothing of the editor's is in flight while someone else saves
    edit(existing, publisher, summary="Changed by someone else.")
    page.evaluate("document.querySelector('form.editor-form').editorAutosave()")
    expect(page.get_by_role("alert")).to_contain_text("pat saved this page at")
