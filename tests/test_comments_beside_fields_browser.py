"""Comments where the text is: a physician comments on the ICD-11 code and on an FAQ question
from the "Comment" control beside each on the review screen, with the keyboard alone; the editor
sees both beside those fields in the change form, each tab counting the open comments it holds,
and replies and resolves there (saving the form's edits first). axe finds nothing serious or
critical on either screen. SCREENSHOT_DIR keeps a picture of each step."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conditions.models import FAQ, ClinicalCode, Condition
from reviews import workflow
from reviews.models import ReviewComment
from tests import editor_flow as page_data
from tests.browser import chromium
from tests.conftest import PASSWORD, add_key_point, make_condition

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
LAPTOP = {"width": 1280, "height": 800}
QUESTION = page_data.FAQS[1][0]  # "Is esketamine the same as ketamine?"


@pytest.fixture
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def in_review(editor):
    page_data.library()
    page = make_condition(editor, title=page_data.TITLE, clinical_definition="A definition.")
    for order, (system, code, qualifier) in enumerate(page_data.CODES, start=1):
        ClinicalCode.objects.create(
            condition=page, system=system, code=code, qualifier=qualifier, sort_order=order
        )
    for order, (question, answer) in enumerate(page_data.FAQS, start=1):
        FAQ.objects.create(condition=page, question=question, answer=answer, sort_order=order)
    add_key_point(page, "Ketamine works within hours.", 1)
    page.attach_cited_references()
    workflow.submit_for_review(page, editor)
    return page


def signed_in(browser, live_server, user):
    # axe is injected as an inline script, which the admin's CSP forbids: the tool is exempt.
    context = browser.new_context(viewport=LAPTOP, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("Log out")
    return page


def shot(page, name, tmp_path, element=None):
    folder = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    (element or page).screenshot(path=folder / f"comments-{name}.png")


def serious(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def comment_by_keyboard(page, part_label, body):
    """Tab to the part's control, open it with Enter, type, and send with Enter on the button."""
    control = page.locator("summary", has_text=f"on {part_label}").first
    control.focus()
    page.keyboard.press("Enter")
    box = page.get_by_label(f"Your comment on {part_label}", exact=True)
    expect(box).to_be_visible()
    page.keyboard.press("Tab")
    expect(box).to_be_focused()
    page.keyboard.type(body)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Add comment").locator("visible=true")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Comment added")
    # Back where the physician was: at the part's control, its comment under the section.
    assert page.url.endswith(f"#{control.evaluate('el => el.parentElement.id')}")


def test_a_physician_comments_on_the_icd11_code_and_an_faq_question_and_the_editor_sees_both_beside_those_fields(  # noqa: E501
    browser, live_server, editor, physician_user, in_review, tmp_path
):
    code = in_review.codes.get(system="ICD-11")
    faq = in_review.faqs.get(question=QUESTION)
    review = signed_in(browser, live_server, physician_user)
    review.goto(f"{live_server.url}/admin/conditions/condition/{in_review.pk}/review/")

    # The control stands in the diff item that shows the code, and only there.
    item = review.locator(".diff-items li", has_text="ICD-11 6A71")
    expect(item.locator("summary")).to_have_text("Comment on Code ICD-11 6A71")
    expect(item.locator("summary")).to_have_count(1)
    faq_item = review.locator(".diff-items li", has_text=QUESTION)
    expect(faq_item.locator("summary")).to_have_text(
        ["Comment on FAQ 2: question", "Comment on FAQ 2: answer"]
    )
    item.locator("summary").click()
    shot(review, "review-control-open", tmp_path, item)
    assert serious(review) == [], serious(review)
    item.locator("summary").click()  # closed again: the keyboard opens it below

    comment_by_keyboard(review, "Code ICD-11 6A71", "Use 6A71 with the TRD extension code.")
    comment_by_keyboard(review, "FAQ 2: question", "Ask it as patients do: is it ketamine?")
    expect(review.locator(".open-comments")).to_contain_text("Open comments (2)")
    shot(review, "review-after", tmp_path)
    found = {(c.anchor, c.anchor_label) for c in ReviewComment.objects.all()}
    assert found == {
        (f"conditions.clinicalcode:{code.pk}:code", "Code ICD-11 6A71"),
        (f"conditions.faq:{faq.pk}:question", "FAQ 2: question"),
    }
    review.context.close()

    page = signed_in(browser, live_server, editor)
    page.goto(f"{live_server.url}/admin/conditions/condition/{in_review.pk}/change/")
    codes_tab = page.get_by_role("tab", name="Summary and codes")
    faqs_tab = page.get_by_role("tab", name="FAQs")
    expect(codes_tab.locator(".tab-comments")).to_have_text("1 open comment")
    expect(faqs_tab.locator(".tab-comments")).to_have_text("1 open comment")
    expect(page.get_by_role("tab", name="Clinical text").locator(".tab-comments")).to_have_count(0)

    # Beside the code: in a row of its own right under the ICD-11 row of the codes table.
    row = page.locator(
        "#codes-group tr", has=page.locator(f"input[name$='-id'][value='{code.pk}']")
    )
    expect(row.locator("input[name$='-code']")).to_have_value("6A71")
    beside = row.locator("xpath=following-sibling::tr[1]")
    expect(beside).to_have_class("comment-row")
    expect(beside).to_contain_text("Open comment on Code ICD-11 6A71")
    expect(beside).to_contain_text("Use 6A71 with the TRD extension code.")
    gap = beside.bounding_box()["y"] - (row.bounding_box()["y"] + row.bounding_box()["height"])
    assert abs(gap) < 2, gap
    beside.scroll_into_view_if_needed()
    shot(page, "editor-code", tmp_path)

    # Beside the question: right after the question's field, before the answer's.
    faqs_tab.click()
    question_row = page.locator(
        ".form-row", has=page.locator(f"[name$='-question'][value='{QUESTION}']")
    )
    next_to = question_row.locator("xpath=following-sibling::*[1]")
    expect(next_to).to_have_class("field-comments")
    expect(next_to).to_contain_text("Ask it as patients do: is it ketamine?")
    expect(next_to.locator("xpath=following-sibling::*[1]")).to_have_class("form-row field-answer")
    next_to.scroll_into_view_if_needed()
    shot(page, "editor-faq", tmp_path)
    # The panel at the top keeps a link to each, which opens the tab and goes to the comment.
    page.locator("details.workflow-fold").evaluate("el => el.open = true")
    codes_tab.click()
    page.locator(".moved-comments a", has_text="FAQ 2: question").click()
    expect(faqs_tab).to_have_attribute("aria-selected", "true")
    expect(next_to).to_be_focused()
    assert serious(page) == [], serious(page)

    # Reply and Resolve beside the field keep an edit made before them.
    codes_tab.click()
    page.fill("#id_summary", "Edited before replying beside the code.")
    beside.get_by_label("Reply", exact=True).fill("Added the extension code.")
    beside.get_by_role("button", name="Reply to the comment on Code ICD-11 6A71").click()
    expect(page.locator(".messagelist")).to_contain_text("Reply added.")
    assert (
        Condition.objects.get(pk=in_review.pk).summary == "Edited before replying beside the code."
    )
    page.get_by_role("tab", name="FAQs").click()
    page.get_by_role("button", name="Resolve the comment on FAQ 2: question").click()
    expect(page.locator(".messagelist")).to_contain_text("Comment resolved.")
    expect(page.get_by_role("tab", name="FAQs").locator(".tab-comments")).to_have_count(0)
    expect(page.get_by_role("tab", name="Summary and codes").locator(".tab-comments")).to_have_text(
        "1 open comment"
    )
    shot(page, "editor-after", tmp_path)
    page.wait_for_load_state("networkidle")
    page.context.close()
