"""Room to write at 1280 px: with the preview open beside it, the condition form is at least
640 px wide, nothing of the form runs under the preview, no visible control overlaps another,
the workflow panel is one line saying where the page stands (and opens), the reading-level table
is folded, the Preview tab shows only where the preview is not beside the form, and a treatment
row shows one way to name its treatment at a time. axe finds no serious or critical violation
at 1280 and 390 px. SCREENSHOT_DIR keeps the editor at both widths."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conditions.models import ClinicalCode, ConditionTreatment, Treatment
from tests import editor_flow as page_data
from tests.browser import PHONE, chromium
from tests.conftest import PASSWORD, add_key_point, make_condition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
LAPTOP = {"width": 1280, "height": 800}

# Every visible control, label and help text of the form, the tabs and the preview.
OVERLAPS = """() => {
  const selector = "input:not([type=hidden]), select, textarea, button, a.button, label, " +
    ".select2-container, [role=tab], .preview-frame, summary, .help, .inline_label, " +
    ".markdown-toolbar, .treatment-path";
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 1 && box.height > 1 && !el.closest(".editor-bar") &&
      el.checkVisibility({visibilityProperty: true});  // a folded <details> hides its content
  };
  const all = Array.from(document.querySelectorAll(selector)).filter(shown);
  const name = (el) => el.id ? `#${el.id}` : `${el.localName}.${el.className}`.slice(0, 60);
  const found = [];
  all.forEach((a, i) => all.slice(i + 1).forEach((b) => {
    if (a.contains(b) || b.contains(a)) return;
    const p = a.getBoundingClientRect(), q = b.getBoundingClientRect();
    const x = Math.min(p.right, q.right) - Math.max(p.left, q.left);
    const y = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
    if (x > 1 && y > 1) found.push(`${name(a)} / ${name(b)}`);
  }));
  const edge = document.querySelector(".editor-preview").getBoundingClientRect().left;
  const under = all.filter((el) => el.closest(".editor-main") &&
    el.getBoundingClientRect().right > edge + 1).map(name);
  return {overlaps: found, under};
}"""


@pytest.fixture
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def full_page(editor):
    page_data.library()
    page = make_condition(
        editor,
        title=page_data.TITLE,
        clinical_definition=page_data.DEFINITION,
        ketamine_fit="Ketamine is an anesthetic; its antidepressant effect outlasts its presence "
        "in the body, and clinicians consider multifactorial neuroplasticity hypotheses.",
    )
    for order, (system, code, qualifier) in enumerate(page_data.CODES, start=1):
        ClinicalCode.objects.create(
            condition=page, system=system, code=code, qualifier=qualifier, sort_order=order
        )
    for order, text in enumerate(page_data.KEY_POINTS, start=1):
        add_key_point(page, text, order)
    ConditionTreatment.objects.create(
        condition=page,
        treatment=Treatment.objects.get(name="Esketamine"),
        line_of_therapy="first_line",
        description="Twice a week at first.",
        sort_order=1,
    )
    page.attach_cited_references()
    return page


def signed_in(browser, live_server, user, viewport):
    # axe is injected as an inline script, which the admin's CSP forbids: the tool is exempt.
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("Log out")
    return page


def shot(page, name, tmp_path):
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    page.screenshot(path=folder / f"editor-{name}-{page.viewport_size['width']}.png")


def serious(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def settle(page):
    expect(page.locator("[data-preview-status]")).not_to_have_text("Updating the preview…")
    page.wait_for_load_state("networkidle")


def test_at_1280_px_the_form_has_room_beside_the_preview_and_nothing_overlaps(
    browser, live_server, editor, full_page, tmp_path
):
    page = signed_in(browser, live_server, editor, LAPTOP)
    page.goto(f"{live_server.url}/admin/conditions/condition/{full_page.pk}/change/")
    frame = page.frame_locator(".preview-frame")
    expect(frame.locator("h1")).to_have_text(page_data.TITLE)
    assert page.locator(".editor-main").bounding_box()["width"] >= 640
    expect(page.locator(".editor-preview")).to_be_visible()
    expect(page.get_by_role("tab", name="Preview")).to_have_count(0)

    fold = page.locator("details.workflow-fold")
    expect(fold).not_to_have_attribute("open", "")
    expect(fold.locator("summary")).to_have_text(
        "Review and publication: Draft: not yet submitted for review."
    )
    assert fold.locator("summary").bounding_box()["height"] < 48  # one line
    expect(page.locator("details.readability")).not_to_have_attribute("open", "")
    shot(page, "room", tmp_path)

    for tab in page.get_by_role("tab").all():
        tab.click()
        found = page.evaluate(OVERLAPS)
        assert found == {"overlaps": [], "under": []}, tab.text_content()

    page.get_by_role("tab", name="Treatments").click()
    row = page.locator("#condition_treatments-0")
    expect(row.get_by_role("radio", name="from the library")).to_be_checked()
    expect(row.locator(".form-row.field-new_treatment_name")).to_be_hidden()
    row.get_by_role("radio", name="a new treatment").check()
    expect(row.locator(".form-row.field-treatment")).to_be_hidden()
    expect(row.locator(".form-row.field-new_treatment_name")).to_be_visible()
    row.get_by_role("radio", name="from the library").check()
    shot(page, "room-treatments", tmp_path)

    fold.locator("summary").click()
    expect(page.get_by_role("button", name="Submit for review", exact=True)).to_be_visible()
    assert serious(page) == [], serious(page)
    settle(page)
    page.context.close()


def test_at_390_px_the_preview_is_a_tab_and_axe_finds_nothing_serious(
    browser, live_server, editor, full_page, tmp_path
):
    page = signed_in(browser, live_server, editor, PHONE)
    page.goto(f"{live_server.url}/admin/conditions/condition/{full_page.pk}/change/")
    expect(page.get_by_role("tab", name="Preview")).to_be_visible()
    expect(page.locator(".editor-preview")).to_be_hidden()
    assert serious(page) == [], serious(page)
    shot(page, "room", tmp_path)
    page.context.close()
