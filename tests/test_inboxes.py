"""The admin home shows each person what waits for them, from the stored review state.

A physician: pages awaiting review (submitter, note, since when). A publisher: approved pages
not yet published, and scheduled publications. An editor: pages returned to them with the
physician's note, and their pages in review. The home costs the same number of queries however
many pages wait.
"""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from reviews import clock, workflow
from tests.admin_http import AdminBrowser
from tests.conftest import PASSWORD, make_condition, make_user


def home(user) -> str:
    return AdminBrowser(user).get("/admin/").content.decode()


def section(html, box_id) -> str:
    start = html.index(f'id="{box_id}"')
    return html[start : html.index("</section>", start)]


def test_a_physician_sees_the_pages_awaiting_their_review(condition, editor, physician_user):
    workflow.submit_for_review(condition, editor, note="New FAQ on dosing.")
    box = section(home(physician_user), "inbox-awaiting-review")
    assert "Awaiting your review (1)" in box
    assert "Test Condition" in box
    assert f"/admin/conditions/condition/{condition.pk}/review/" in box
    assert "submitted by edna" in box
    assert "New FAQ on dosing." in box
    assert "waiting since" in box


def test_the_publisher_sees_approved_pages_and_then_the_scheduled_ones(
    condition, editor, physician_user, publisher
):
    workflow.submit_for_review(condition, editor)
    workflow.sign_off(condition, physician_user, PASSWORD)
    html = home(publisher)
    assert "Test Condition" in section(html, "inbox-ready")
    assert "approved by Dr. Gregory House, MD" in section(html, "inbox-ready")
    assert "No publication is scheduled." in section(html, "inbox-scheduled")
    workflow.schedule_publish(condition, publisher, clock.now() + timedelta(hours=2))
    html = home(publisher)
    assert "No approved page waits to be published." in section(html, "inbox-ready")
    assert "Test Condition" in section(html, "inbox-scheduled")
    assert "scheduled by pat" in section(html, "inbox-scheduled")


def test_the_editor_sees_the_page_returned_with_the_note_and_their_pages_in_review(
    condition, editor, physician_user
):
    other = make_condition(editor, slug="other-page", title="Other Page")
    workflow.submit_for_review(condition, editor)
    workflow.submit_for_review(other, editor)
    workflow.request_changes(condition, physician_user, "Cite the 2017 meta-analysis.")
    html = home(editor)
    returned = section(html, "inbox-returned")
    assert "Returned to you (1)" in returned
    assert "Test Condition" in returned
    assert "Cite the 2017 meta-analysis." in returned
    assert "Dr. Gregory House, MD asked for changes" in returned
    in_review = section(html, "inbox-in-review")
    assert "Other Page" in in_review
    assert "Test Condition" not in in_review


def test_each_home_lists_only_what_waits_for_that_person(condition, editor, physician_user):
    """Another editor's returned page is not "returned to you"; an editor has no physician box."""
    colleague = make_user("carl", "Editors")
    workflow.submit_for_review(condition, colleague)
    workflow.request_changes(condition, physician_user, "Shorter summary.")
    html = home(editor)
    assert "Returned to you (0)" in html
    assert "inbox-awaiting-review" not in html
    assert "inbox-ready" not in html
    assert "Returned to you (1)" in home(colleague)


def make_waiting_pages(count, editor, physician_user, start):
    for n in range(start, start + count):
        page = make_condition(editor, slug=f"page-{n}", title=f"Page {n}")
        workflow.submit_for_review(page, editor, note=f"note {n}")
        if n % 3 == 0:
            workflow.request_changes(page, physician_user, "Fix it.")
        elif n % 3 == 1:
            workflow.sign_off(page, physician_user, PASSWORD)


def queries_for_home(user) -> int:
    browser = AdminBrowser(user)
    with CaptureQueriesContext(connection) as captured:
        response = browser.get("/admin/")
    assert response.status_code == 200
    return len(captured)


def test_the_home_costs_the_same_queries_for_two_pages_and_for_twelve(
    editor, physician_user, publisher
):
    superuser = make_user("boss", is_superuser=True)
    make_waiting_pages(3, editor, physician_user, start=0)
    people = (editor, physician_user, publisher, superuser)
    small = {user: queries_for_home(user) for user in people}
    make_waiting_pages(12, editor, physician_user, start=3)
    large = {user: queries_for_home(user) for user in people}
    assert "Returned to you (5)" in home(editor)
    assert large == small
