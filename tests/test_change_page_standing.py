"""The change page says where the page stands, in words, and offers only what this person may do.

"In review since …, submitted by …: <note>", "Changes requested by Dr. … on …: <note>",
"Approved by Dr. … on …, not yet published", "Live since …, review due …". "View on site" only
for a live page; "Preview draft" for anything the public does not read.
"""

from reviews import workflow
from tests.admin_http import AdminBrowser, page_url
from tests.conftest import PASSWORD, edit


def change_page(user, page) -> str:
    return AdminBrowser(user).get(page_url(page)).content.decode()


def standing(html) -> str:
    start = html.index('class="workflow-standing"')
    return html[start : html.index("</p>", start)]


def test_a_submitted_page_says_who_submitted_it_when_with_the_note(condition, editor):
    workflow.submit_for_review(condition, editor, note="New dosing FAQ.")
    html = change_page(editor, condition)
    assert "In review since" in standing(html)
    assert "submitted by edna" in standing(html)
    assert "New dosing FAQ." in standing(html)
    assert 'value="submit"' not in html  # already in review: nothing to submit


def test_a_page_sent_back_says_who_asked_for_what(condition, editor, physician_user):
    workflow.submit_for_review(condition, editor)
    workflow.request_changes(condition, physician_user, "Cite the 2017 meta-analysis.")
    line = standing(change_page(editor, condition))
    assert "Changes requested by Dr. Gregory House, MD on" in line
    assert "Cite the 2017 meta-analysis." in line


def test_a_live_page_sent_back_reads_changes_requested_not_live_with_changes(
    published, editor, physician_user
):
    edit(published, editor, summary="A new summary.")
    workflow.submit_for_review(published, editor)
    assert workflow.state(published) == workflow.State.IN_REVIEW
    workflow.request_changes(published, physician_user, "Keep the old summary.")
    html = change_page(editor, published)
    assert "Changes requested by Dr. Gregory House, MD" in standing(html)
    assert "Keep the old summary." in standing(html)


def test_an_approved_page_says_it_is_not_yet_published(condition, physician_user, publisher):
    workflow.sign_off(condition, physician_user, PASSWORD)
    html = change_page(publisher, condition)
    assert "Approved by Dr. Gregory House, MD on" in standing(html)
    assert "not yet published" in standing(html)
    assert 'value="schedule"' in html


def test_a_live_page_says_since_when_and_when_review_is_due_and_links_to_the_site(
    published, editor
):
    html = change_page(editor, published)
    assert "Live since" in standing(html)
    assert "review due" in standing(html)
    assert "View on site" in html
    assert "Preview draft" not in html


def test_a_page_never_published_offers_a_preview_and_no_view_on_site(condition, editor):
    html = change_page(editor, condition)
    assert "Draft: not yet submitted for review" in standing(html)
    assert "Preview draft" in html
    assert "View on site" not in html


def test_the_conditions_list_reads_in_review_for_a_live_page_in_review(published, editor):
    edit(published, editor, summary="A new summary.")
    workflow.submit_for_review(published, editor)
    html = AdminBrowser(editor).get("/admin/conditions/condition/").content.decode()
    assert '<td class="field-review_state_column">In review</td>' in html


def test_a_live_page_in_review_still_counts_as_live_with_unreviewed_changes(published, editor):
    """Its state names the round of review; the queryset of unsigned live pages still has it."""
    from conditions.models import Condition
    from reviews.models import ReviewState

    edit(published, editor, summary="A new summary.")
    workflow.submit_for_review(published, editor)
    rows = ReviewState.objects.of_model(Condition)
    assert [row.object_id for row in rows.live_with_unreviewed_changes()] == [published.pk]
    assert [row.object_id for row in rows.awaiting_review()] == [published.pk]
