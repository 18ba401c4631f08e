"""Each page's review state is stored, kept current by the steps and the save path, and read
through querysets named for intent; the queue and the pages list cost constant queries.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conditions.models import Condition
from reviews import clock, workflow
from reviews.models import ReviewState
from tests.admin_http import AdminBrowser, page_url
from tests.conftest import PASSWORD, edit, make_condition

State = ReviewState.State


def rows():
    return ReviewState.objects.of_model(Condition)


def slugs(queryset):
    return sorted(
        Condition.objects.filter(pk__in=queryset.values("object_id")).values_list("slug", flat=True)
    )


@pytest.fixture
def library(editor, physician_user, publisher, settings):
    """One page in each state."""
    settings.REVIEW_INTERVAL_DAYS = 365
    pages = {
        slug: make_condition(editor, slug=slug)
        for slug in [
            "draft",
            "submitted",
            "sent-back",
            "approved",
            "live",
            "changed",
            "due",
            "overdue",
        ]
    }
    workflow.submit_for_review(pages["submitted"], editor, note="Ready.")
    workflow.submit_for_review(pages["sent-back"], editor)
    workflow.request_changes(pages["sent-back"], physician_user, "Cite the trial.")
    workflow.sign_off(pages["approved"], physician_user, PASSWORD)
    for slug in ["live", "changed"]:
        workflow.sign_off(pages[slug], physician_user, PASSWORD)
        workflow.publish(pages[slug], publisher)
    edit(pages["changed"], editor, summary="Edited after going live.")
    for slug, age in [("due", 350), ("overdue", 400)]:
        with clock.frozen_at(clock.now() - timedelta(days=age)):
            workflow.sign_off(pages[slug], physician_user, PASSWORD)
            workflow.publish(pages[slug], publisher)
    return pages


def test_the_querysets_name_each_state(library):
    assert slugs(rows().awaiting_review()) == ["submitted"]
    assert slugs(rows().changes_requested()) == ["sent-back"]
    assert slugs(rows().approved_unpublished()) == ["approved"]
    assert slugs(rows().live_with_unreviewed_changes()) == ["changed"]
    assert slugs(rows().review_due(within=timedelta(days=30))) == ["due", "overdue"]
    assert slugs(rows().review_due(within=timedelta(0))) == ["overdue"]


def test_the_stored_state_is_what_the_digest_says(library):
    for page in library.values():
        row = rows().get(object_id=page.pk)
        assert workflow.stored_state(row) == workflow.state(page), page.slug


def test_time_passing_is_applied_as_the_digest_would(library):
    with clock.frozen_at(clock.now() + timedelta(days=366)):
        for page in library.values():
            row = rows().get(object_id=page.pk)
            assert workflow.stored_state(row) == workflow.state(page), page.slug


def test_the_row_records_the_submission_its_note_and_submitter(library, editor):
    row = rows().with_records().get(object_id=library["submitted"].pk)
    assert (row.submission.note, row.submission.actor) == ("Ready.", editor)
    assert row.state == State.IN_REVIEW


def test_a_save_updates_the_state_at_once(library, editor):
    edit(library["live"], editor, summary="A new summary.")
    assert rows().get(object_id=library["live"].pk).state == State.LIVE_WITH_UNREVIEWED_CHANGES


def test_a_step_corrects_a_row_a_raw_update_left_behind(library, editor, physician_user):
    page = library["approved"]
    Condition.objects.filter(pk=page.pk).update(summary="Changed behind the workflow's back.")
    assert rows().get(object_id=page.pk).state == State.APPROVED  # stale: nothing saw it
    workflow.submit_for_review(page, editor)
    row = rows().get(object_id=page.pk)
    assert row.state == State.IN_REVIEW
    assert row.source_digest == workflow.current_document(page)[1]


def facts_of(s):
    return (
        s.state,
        s.live,
        s.latest_sign_off,
        s.submission,
        s.changes_request,
        s.round_kind,
        s.approved,
        s.scheduled,
        s.takedown,
    )


def test_where_a_page_stands_is_one_query_and_says_what_its_records_say(library):
    """The stored row joined to its records, checked against the records in the same query."""
    from reviews.workflow.facts import _situation_from_records

    for page in library.values():
        digest = workflow.current_document(page)[1]
        with CaptureQueriesContext(connection) as queries:
            joined = facts_of(workflow.situation(page, digest))
        assert len(queries) == 1, page.slug
        assert joined == facts_of(_situation_from_records(page, digest, None)), page.slug


def test_a_row_that_no_longer_names_the_records_is_not_believed(library, editor):
    """A row left behind (by a raw update, or a write that never came) misleads no screen."""
    submitted, live = library["submitted"], library["live"]
    rows().filter(object_id=submitted.pk).update(submission=None, state=State.DRAFT)
    rows().filter(object_id=live.pk).update(publication=None, state=State.DRAFT)
    assert workflow.situation(submitted).submission.note == "Ready."
    assert workflow.state(submitted) == State.IN_REVIEW
    assert workflow.situation(live).live.slug == "live"
    assert workflow.state(live) == State.LIVE
    html = AdminBrowser(editor).get(page_url(submitted)).content.decode()
    assert "In review since" in html


def test_an_order_waiting_for_its_time_is_read_only_when_there_is_one(
    library, publisher, physician_user
):
    from reviews.models import ScheduledPublication, ScheduledTakedown

    approved, live = library["approved"], library["live"]
    later = clock.now() + timedelta(days=2)
    workflow.schedule_publish(approved, publisher, later)
    workflow.schedule_takedown(live, publisher, later, "Superseded.")
    assert workflow.situation(approved).scheduled == ScheduledPublication.objects.get()
    assert workflow.situation(live).takedown == ScheduledTakedown.objects.get()
    assert workflow.situation(library["draft"]).scheduled is None


def make_pages(count, editor, physician_user, publisher, start=0):
    """count pages: a quarter submitted, a quarter live and edited since, the rest live."""
    for number in range(start, start + count):
        page = make_condition(editor, slug=f"page-{number}", title=f"Page {number}")
        if number % 4 == 0:
            workflow.submit_for_review(page, editor, note=f"Note {number}")
            continue
        workflow.sign_off(page, physician_user, PASSWORD)
        workflow.publish(page, publisher)
        if number % 4 == 1:
            edit(page, editor, summary="Changed since.")


def queries_of(browser, path):
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(path)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize("path", ["/admin/review-queue/", "/admin/conditions/condition/"])
def test_the_queue_and_the_pages_list_cost_the_same_queries_for_few_or_many_pages(
    path, editor, physician_user, publisher, settings
):
    settings.REVIEW_INTERVAL_DAYS = 20  # every live page falls due within the queue's 30 days
    browser = AdminBrowser(physician_user)
    make_pages(4, editor, physician_user, publisher)
    few, response = queries_of(browser, path)
    make_pages(36, editor, physician_user, publisher, start=4)
    many, response = queries_of(browser, path)
    assert many == few <= 15
    if "queue" in path:
        assert len(response.context["awaiting_review"]) == 10
        assert len(response.context["unreviewed_live"]) == 10
        assert len(response.context["due_soon"]) == 30


def test_the_change_page_builds_the_document_once(published, editor, monkeypatch):
    from conditions import documents

    built = []
    original = documents.build_condition_document

    def counting(condition):
        built.append(condition.pk)
        return original(condition)

    monkeypatch.setattr(documents, "build_condition_document", counting)
    response = AdminBrowser(editor).get(page_url(published))
    assert response.status_code == 200
    assert "Every cited reference is in the library" in response.content.decode()
    assert built == [published.pk]


def test_the_pages_list_filters_by_review_state(library, editor):
    html = AdminBrowser(editor).get("/admin/conditions/condition/", review="in_review")
    listed = [page.slug for page in html.context["cl"].result_list]
    assert listed == ["submitted"]
    drafts = AdminBrowser(editor).get("/admin/conditions/condition/", review="draft")
    assert [page.slug for page in drafts.context["cl"].result_list] == ["draft"]
