"""The hand-offs between editor, physician and publisher, played in Chromium as each person.

The editor submits a change to the live demo page; the physician finds it on their home,
comments on a key point and requests changes; the editor finds the note on their home and the
comment under the key point on the change page, fixes the point, replies, resolves and submits
again; the physician signs; the publisher finds it on their home and schedules it a minute
ahead; when that minute has passed the task worker publishes it, and a visitor reads the fix.
"""

import os
from datetime import timedelta

import pytest
import reversion
from django.utils import timezone
from playwright.sync_api import expect

from reviews import clock
from reviews.comments import Part
from tests.browser import DESKTOP, chromium
from tests.task_worker import DATABASE_TASKS, run_due_tasks

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FIXED = "Most people who respond notice a change within 24 hours of an infusion."


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
    settings.TASKS = DATABASE_TASKS  # queued in the database, run by the worker below
    return Condition.objects.get(slug="treatment-resistant-ocd")


def sign_in(browser, live_server, username, password):
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("Log out")
    return page


def shot(page, name, *, full_page=True):
    """A screenshot (of a page, or of one element) into SCREENSHOT_DIR, when it is set."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        path = os.path.join(folder, f"hand-off-{name}.png")
        if hasattr(page, "goto"):
            page.screenshot(path=path, full_page=full_page)
        else:
            page.screenshot(path=path)


# What the change page's live preview says once its request is done.
PREVIEW_DONE = "The preview shows the page as it stands in this form."


def comment_control_id(anchor):
    """The id of the review screen's "Comment" control for the part at anchor."""
    return Part(anchor, "", "", "").dom_id


def fix_key_point(point, user, text):
    """The editor's fix, saved as the change form saves it: one revision by the editor (the
    change form itself is exercised by the editing tests)."""
    from reviews import workflow

    with reversion.create_revision():
        reversion.set_user(user)
        point.text = text
        point.save()
        point.condition.save()
    workflow.record_change(point.condition, user)


def test_a_change_goes_from_editor_to_physician_to_publisher_to_the_public(
    browser, live_server, demo_page
):
    from django.contrib.auth.models import User

    public_url = f"{live_server.url}/conditions/treatment-resistant-ocd/"
    change_url = f"{live_server.url}/admin/conditions/condition/{demo_page.pk}/change/"
    point = demo_page.key_points.first()
    anchor = f"conditions.keypoint:{point.pk}:text"

    # The editor submits a change.
    editor = sign_in(browser, live_server, "editor", "tovani-editor")
    fix_key_point(point, User.objects.get(username="editor"), point.text + " Usually fast.")
    editor.goto(change_url)
    editor.locator("details.workflow-fold > summary").click()  # the folded workflow panel
    editor.fill("#id_note", "Tightened the first key point.")
    editor.get_by_role("button", name="Submit for review", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text(
        "Submitted for review. E-mailed the physicians: Dr. Ben Soffer"
    )
    expect(editor.locator(".workflow-standing")).to_contain_text("In review since")
    editor.goto(f"{live_server.url}/admin/")  # leaves the page, as at the second submission

    # The physician finds it on their home, comments on the key point, requests changes.
    physician = sign_in(browser, live_server, "ben.soffer", "tovani-physician")
    inbox = physician.locator("#inbox-awaiting-review")
    expect(inbox).to_contain_text("Awaiting your review (1)")
    expect(inbox).to_contain_text("Tightened the first key point.")
    shot(physician, "1-physician-home")
    inbox.get_by_role("link", name="Treatment-Resistant OCD").click()
    # The key point's own "Comment" control, beside its text (its section may be folded).
    control = physician.locator(f"#{comment_control_id(anchor)} > summary")
    if not control.is_visible():
        control.locator("xpath=ancestor::details[last()]/summary").click()
    control.click()
    physician.get_by_label("Your comment on Key point 1").fill(
        "“Usually fast” is vague: give the time frame and cite it."
    )
    physician.locator(f"#{comment_control_id(anchor)}").get_by_role(
        "button", name="Add comment"
    ).click()
    expect(physician.locator(".open-comments")).to_contain_text("Open comments (1)")
    physician.locator(".review-preview").scroll_into_view_if_needed()
    expect(physician.get_by_role("button", name="Sign off")).to_be_in_viewport()
    shot(physician, "1b-review-screen-scrolled", full_page=False)
    decisions = physician.locator("form:has(button[value=request_changes])")
    decisions.locator("textarea[name=note]").fill("See my comment on the first key point.")
    decisions.get_by_role("button", name="Request changes").click()
    expect(physician.locator(".messagelist")).to_contain_text("Changes requested.")

    # The editor finds the note on their home and the comment under the key point.
    editor.goto(f"{live_server.url}/admin/")
    returned = editor.locator("#inbox-returned")
    expect(returned).to_contain_text("See my comment on the first key point.")
    shot(editor, "2-editor-home")
    returned.get_by_role("link", name="Treatment-Resistant OCD").click()
    expect(editor.locator(".workflow-standing")).to_contain_text(
        "Changes requested by Dr. Ben Soffer, DO"
    )
    part = editor.locator(".comment-part", has_text="Key point 1")
    expect(part.locator(".comment-quote")).to_contain_text("Usually fast.")
    expect(part.locator(".comment")).to_contain_text("give the time frame")
    shot(editor.locator(".workflow-panel"), "3-editor-workflow-panel")
    # The page's first live preview writes (and rolls back) in a transaction: on the test's
    # in-memory SQLite it must be done before another connection writes or the page reloads.
    expect(editor.locator("[data-preview-status]")).to_have_text(PREVIEW_DONE)
    fix_key_point(point, User.objects.get(username="editor"), FIXED)
    editor.reload()
    # The comment stands beside the key point, in its section of the form.
    editor.get_by_role("tab", name="The short version").click()
    part = editor.locator(".field-comments .comment-part", has_text="Key point 1")
    expect(part).to_contain_text("This part has changed since the comment.")
    part.locator("textarea[name=body]").fill("Gave 24 hours, as in the cited trial.")
    part.get_by_role("button", name="Reply").click()
    expect(editor.locator(".messagelist")).to_contain_text("Reply added.")
    editor.get_by_role("tab", name="The short version").click()
    editor.locator(".comment-part", has_text="Key point 1").get_by_role(
        "button", name="Resolve"
    ).click()
    expect(editor.locator(".comment-resolved")).to_contain_text("Resolved by")
    expect(editor.locator("[data-preview-status]")).to_have_text(PREVIEW_DONE)
    editor.get_by_role("button", name="Submit for review", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("Submitted for review.")
    # Done with the page: its editor (live preview, autosave) stops talking to the server, which
    # on the test's in-memory SQLite would hold a table lock while another person writes.
    editor.goto(f"{live_server.url}/admin/")

    # The physician signs.
    physician.goto(f"{live_server.url}/admin/")
    physician.locator("#inbox-awaiting-review").get_by_role(
        "link", name="Treatment-Resistant OCD"
    ).click()
    expect(physician.locator(".review-decisions")).not_to_contain_text("Open comments")
    physician.fill("#id_password", "tovani-physician")
    physician.get_by_role("button", name="Sign off").click()
    expect(physician.locator(".messagelist")).to_contain_text(
        "Approved. E-mailed the publishers: publisher. E-mailed the editor: editor."
    )

    # The publisher finds it on their home and schedules it a minute ahead.
    publisher = sign_in(browser, live_server, "publisher", "tovani-publisher")
    ready = publisher.locator("#inbox-ready")
    expect(ready).to_contain_text("Approved by Dr. Ben Soffer, DO", ignore_case=True)
    shot(publisher, "4-publisher-home")
    ready.get_by_role("link", name="Treatment-Resistant OCD").click()
    at = timezone.localtime() + timedelta(minutes=2)
    publisher.fill("#id_publish_at", at.strftime("%Y-%m-%dT%H:%M"))
    shot(publisher.locator(".workflow-panel"), "4b-publisher-workflow-panel")
    publisher.get_by_role("button", name="Schedule publication").click()
    expect(publisher.locator(".messagelist")).to_contain_text("Scheduled.")
    expect(publisher.locator(".workflow-scheduled")).to_contain_text("Scheduled to go live on")
    publisher.goto(f"{live_server.url}/admin/")
    expect(publisher.locator("#inbox-scheduled")).to_contain_text("Treatment-Resistant OCD")
    shot(publisher, "5-publisher-home-scheduled")

    visitor = browser.new_context().new_page()
    visitor.goto(public_url)
    expect(visitor.locator("main")).not_to_contain_text(FIXED)

    # The worker runs the task at its time: here the clock moves past it rather than the test
    # waiting two minutes (the worker test of scheduled publishing waits for real).
    from django_tasks_db.models import DBTaskResult

    later = timezone.now() + timedelta(minutes=3)
    with clock.frozen_at(later):
        DBTaskResult.objects.filter(task_path__endswith="publish_when_due").update(
            run_after=timezone.now()
        )
        run_due_tasks()

    visitor = browser.new_context().new_page()
    visitor.goto(public_url)
    expect(visitor.locator("main")).to_contain_text(FIXED)
    shot(visitor, "6-public-page")
    publisher.goto(change_url)
    expect(publisher.locator(".workflow-standing")).to_contain_text("Live since")
