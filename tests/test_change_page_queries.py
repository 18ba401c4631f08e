"""A page's change screen costs a bounded number of queries, whatever the page holds.

The status panel, the source digest, the document, the comment anchors and the form each read
the page; on the screen they share one read of the page, its parts and its references
(tovani.read_once), where the page stands (sign-off, round, stored state, live publication,
schedule, take-down) is one query, the treatment rows come with their treatment and how many
pages share it, and a comparison's related page is chosen by search rather than from a list of
every page.
"""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conditions.models import FAQ, ClinicalCode, Comparison, ConditionTreatment, Treatment
from references.models import Reference
from reviews import workflow
from tests.admin_http import AdminBrowser, page_url
from tests.conftest import PASSWORD, add_key_point, make_condition

# 38 before the screen shared its reads, 26 before where the page stands became one query and
# its references came with it, on the same page (see README "Speed").
LIMIT = 20

# The records of where a page stands: the stored row, the sign-offs, the round's events, the
# publications and the orders waiting for their time.
STANDING_TABLES = {
    "reviews_reviewstate",
    "reviews_signoff",
    "reviews_reviewevent",
    "reviews_publication",
    "reviews_scheduledpublication",
    "reviews_scheduledtakedown",
}


def change_page_queries(user, page) -> list[str]:
    browser = AdminBrowser(user)
    browser.get(page_url(page))  # content types, permissions cached as on any later visit
    with CaptureQueriesContext(connection) as queries:
        response = browser.get(page_url(page))
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def queries_on_change_page(user, page) -> int:
    return len(change_page_queries(user, page))


def reading(queries, tables) -> list[str]:
    """The queries whose rows come from one of tables (not those that only look into one)."""
    return [sql for sql in queries if _rows_from(sql) in tables]


def _rows_from(sql) -> str | None:
    # The table of the first column selected (past a prefetch's join column), or an exists()'s.
    found = re.match(r'SELECT (?:\(?"\w+"\.\S+ AS \S+, )?(?:1 AS "a" FROM )?"(\w+)"', sql)
    return found.group(1) if found else None


def in_review_page(editor, slug="in-review"):
    page = make_condition(editor, slug=slug, clinical_definition="A *definition* [@smith2020].")
    Reference.objects.create(citekey="smith2020", authors="Smith J", title="A trial", year=2020)
    add_key_point(page, "A key point.")
    workflow.submit_for_review(page, editor, note="Ready.")
    return page


def test_a_page_in_review_opens_for_its_reviewer_in_a_bounded_number_of_queries(
    editor, physician_user
):
    page = in_review_page(editor)
    assert queries_on_change_page(physician_user, page) <= LIMIT


def test_more_parts_cost_no_more_queries(editor, physician_user):
    page = in_review_page(editor)
    treatment = Treatment.objects.create(
        name="Exposure therapy", slug="exposure", kind="psychotherapy"
    )
    ConditionTreatment.objects.create(
        condition=page, treatment=treatment, description="Used.", line_of_therapy="first_line"
    )
    Comparison.objects.create(condition=page, name="Related", text="How it differs.")
    few = queries_on_change_page(physician_user, page)
    for n in range(2, 8):
        add_key_point(page, f"Key point {n}.", order=n)
        FAQ.objects.create(
            condition=page, question=f"Question {n}?", answer="An answer.", sort_order=n
        )
        ClinicalCode.objects.create(
            condition=page, system="ICD-10-CM", code=f"F42.{n}", sort_order=n
        )
    other = Treatment.objects.create(name="Medication", slug="medication", kind="medication")
    ConditionTreatment.objects.create(
        condition=page,
        treatment=other,
        description="Also.",
        sort_order=2,
        line_of_therapy="escalation",
    )
    Comparison.objects.create(condition=page, name="Another", text="Differs too.", sort_order=2)
    many = queries_on_change_page(physician_user, page)
    # Key points, FAQs and codes cost nothing a row; a treatment's or a related page's chooser
    # names its choice (one query a chooser row), and the treatments' sharing count is one.
    assert many <= few + 2, (few, many)
    assert few <= LIMIT + 3, few


def test_a_comparison_chooses_its_related_page_by_search_not_from_every_page(
    editor, physician_user
):
    page = in_review_page(editor)
    Comparison.objects.create(condition=page, name="Related", text="How it differs.")
    for n in range(5):
        make_condition(editor, slug=f"other-{n}", title=f"Other page {n}")
    html = AdminBrowser(editor).get(page_url(page)).content.decode()
    assert "Other page 3" not in html  # no <option> for every page of the library
    assert "admin-autocomplete" in html  # a search-as-you-type chooser instead


def test_where_a_page_in_review_stands_is_one_query(editor, physician_user):
    queries = change_page_queries(physician_user, in_review_page(editor))
    assert len(reading(queries, STANDING_TABLES)) == 1


def test_where_a_live_page_stands_is_one_query(editor, physician_user, publisher):
    """Live, its newest sign-off approves the current version: whether a physician asked for
    changes since is asked in the same query."""
    page = in_review_page(editor)
    workflow.sign_off(page, physician_user, PASSWORD)
    workflow.publish(page, publisher)
    queries = change_page_queries(editor, page)
    assert len(reading(queries, STANDING_TABLES)) == 1


def test_the_page_s_references_are_read_once_with_the_page(editor, physician_user):
    """Attached and cited alike: saving a page attaches what it cites."""
    queries = change_page_queries(physician_user, in_review_page(editor))
    assert len(reading(queries, {"references_reference"})) == 1


def test_a_cited_reference_the_page_does_not_hold_is_still_found_in_the_library(
    editor, physician_user
):
    page = in_review_page(editor)
    page.references.clear()
    html = AdminBrowser(physician_user).get(page_url(page)).content.decode()
    assert "which is not in the reference library" not in html
    assert "Every cited reference is in the library" in html
