"""A physician clears the demo page's evidence inbox in Chromium, through the real admin, and
marks one study practice-changing."""

import os

import pytest
from playwright.sync_api import expect

from evidence import demo
from evidence.models import InboxRecord, PageFlag
from evidence.status import reviewed_through
from publishing import notices
from publishing.pointers import recent_pointers
from reviews import clock, workflow
from tests.conftest import edit
from tests.evidence_sources import sources as sources  # noqa: F401 - the fixture, by its name
from tests.test_admin_story import browser as browser  # noqa: F401 - the fixture, by its name
from tests.test_admin_story import demo_page as demo_page  # noqa: F401 - the fixture, by its name
from tests.test_admin_story import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def shot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"evidence-{name}.png"), full_page=True)


def test_a_physician_clears_the_inbox_and_marks_one_study_practice_changing(
    browser,  # noqa: F811
    live_server,
    demo_page,  # noqa: F811
    sources,  # noqa: F811
):
    """The home shows the inbox and the flagged page; screening every record clears it; the
    practice-changing one opens a review and becomes a reference; the next sign-off computes
    "evidence reviewed through" from the cleared inbox."""
    demo.replay()
    physician = sign_in(browser, live_server, "ben.soffer", "tovani-physician")
    physician.goto(f"{live_server.url}/admin/")
    inbox_link = physician.locator("#inbox-evidence a", has_text="Treatment-Resistant")
    expect(physician.locator("#inbox-evidence")).to_contain_text("4 new studies to screen")
    expect(physician.locator("#inbox-evidence-flags")).to_contain_text("has a concern")
    shot(physician, "1-home")

    inbox_link.click()
    expect(physician.locator(".inbox-record")).to_have_count(4)
    shot(physician, "2-inbox")
    first = physician.locator("#record-32000001")
    first.get_by_label("Import it as a reference").check()
    first.get_by_role("button", name="Practice-changing").click()
    expect(physician.locator(".messagelist")).to_contain_text("practice-changing")
    for pmid, button in (
        ("32000002", "Noted"),
        ("32000003", "Not relevant"),
        ("32000004", "Noted"),
    ):
        physician.locator(f"#record-{pmid}").get_by_role("button", name=button).click()
    expect(physician.get_by_text("Nothing to screen: the inbox is clear.")).to_be_visible()
    expect(physician.locator(".evidence-inbox")).to_contain_text("imported as @")
    shot(physician, "3-cleared")

    decisions = dict(InboxRecord.objects.values_list("pmid", "decision"))
    assert decisions["32000001"] == "practice_changing"
    assert PageFlag.objects.filter(reason="practice_changing").count() == 1
    today = clock.now().date()
    edit(demo_page, demo_page_editor(), summary=demo_page.summary + " Updated for a new trial.")
    workflow.sign_off(demo_page, physician_user(), "tovani-physician")
    assert reviewed_through(demo_page) == (today, True)

    physician.goto(f"{live_server.url}/admin/")
    expect(physician.locator("#inbox-evidence")).to_contain_text("nothing to screen")
    physician.reload()
    shot(physician, "4-home-after")
    physician.goto(inbox_link_url(live_server))
    expect(physician.locator("#evidence-reviewed-through")).to_contain_text(
        f"{today:%B} {today.day}, {today.year}"
    )

    # Published, the page's stamp says the computed day and its history what was screened.
    workflow.publish(demo_page, user_named("publisher"))
    reader = physician.context.browser.new_page(viewport={"width": 1280, "height": 900})
    reader.goto(f"{live_server.url}{demo_page.get_absolute_url()}")
    expect(reader.locator(".page-facts")).to_contain_text(
        f"Evidence reviewed through: {today:%B} {today.day}, {today.year}"
    )
    shot(reader, "5-public-stamp")
    reader.goto(f"{live_server.url}{demo_page.get_absolute_url()}history/")
    expect(reader.locator(".history li").first).to_contain_text(
        "4 new studies from the literature search screened since the review before; "
        "1 changed the page."
    )
    shot(reader, "6-history")

    # A retraction's note, as evidence.status.refresh sets it, above the byline's page.
    notices.set_notice(
        demo_page, "This page is being reviewed because a study it cites was retracted."
    )
    recent_pointers.clear()
    # A new visitor: the first one's browser may keep its copy for PAGE_MAX_AGE.
    reader = physician.context.browser.new_page(viewport={"width": 1280, "height": 900})
    reader.goto(f"{live_server.url}{demo_page.get_absolute_url()}")
    expect(reader.get_by_role("status")).to_have_text(
        "This page is being reviewed because a study it cites was retracted."
    )
    shot(reader, "7-public-notice")


def demo_page_editor():
    return user_named("editor")


def user_named(username):
    from django.contrib.auth.models import User

    return User.objects.get(username=username)


def physician_user():
    from django.contrib.auth.models import User

    return User.objects.get(username="ben.soffer")


def inbox_link_url(live_server):
    from evidence.models import SavedSearch

    return f"{live_server.url}/admin/evidence/savedsearch/{SavedSearch.objects.get().pk}/inbox/"
