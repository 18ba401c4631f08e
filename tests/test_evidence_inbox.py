"""Each page's saved search fills its evidence inbox; a physician screens it, and "evidence
reviewed through" is computed from how far the inbox was cleared when the page was signed."""

from datetime import date, datetime, timedelta

import pytest

from evidence import inbox
from evidence.errors import EvidenceError
from evidence.models import InboxRecord, PageFlag, SavedSearch
from evidence.status import evidence_status, reviewed_through, screening_counts
from references.models import Reference
from reviews import clock, workflow
from reviews.models import ReviewEvent
from tests.conftest import PASSWORD, edit
from tests.evidence_sources import NEWER_VERSION
from tests.evidence_sources import sources as sources  # noqa: F401 - the fixture, by its name

Decision = InboxRecord.Decision
NOV_10, NOV_30 = date(2026, 11, 10), date(2026, 11, 30)


@pytest.fixture
def search(published):
    return SavedSearch.objects.create(
        condition=published,
        terms="ketamine AND obsessive-compulsive",
        guidelines=False,
        starts_from=date(2026, 10, 1),
    )


def at(day):
    return clock.frozen_at(datetime(day.year, day.month, day.day, 12, tzinfo=clock.now().tzinfo))


def test_a_saved_search_brings_new_records_into_the_inbox(sources, search):  # noqa: F811
    """esearch by entry date from the search's start; each record with title, journal, date
    and a link to its abstract."""
    with at(NOV_10):
        run = inbox.run_search(search, NOV_10)

    (esearch,) = sources.calls_to("esearch")
    assert esearch.params["datetype"] == ["edat"]
    assert (esearch.params["mindate"], esearch.params["maxdate"]) == (
        ["2026/10/01"],
        ["2026/11/10"],
    )
    assert esearch.params["term"] == [
        "(ketamine AND obsessive-compulsive) AND (Randomized Controlled Trial[pt] OR "
        "Meta-Analysis[pt] OR Systematic Review[pt])"
    ]
    assert run.found == 3
    record = search.records.get(pmid="32000001")
    assert record.title.startswith("Repeated intravenous ketamine with exposure therapy")
    assert (record.journal, record.published) == ("Am J Clin Psychiatry", "2026 Oct")
    assert record.abstract_url == "https://pubmed.ncbi.nlm.nih.gov/32000001/"


def test_the_next_run_asks_only_for_records_entered_since_the_last(sources, search):  # noqa: F811
    """A later run starts the day after the last one ended, and never adds a record twice."""
    with at(NOV_10):
        inbox.run_search(search, NOV_10)
    with at(NOV_30):
        later = inbox.run_search(search, NOV_30)
        assert inbox.run_search(search, NOV_30) is None

    assert sources.calls_to("esearch")[-1].params["mindate"] == ["2026/11/11"]
    assert later.found == 1
    assert search.records.count() == 4


def test_practice_changing_opens_a_review_and_imports_the_record_in_one_step(
    sources,  # noqa: F811
    search,
    physician_user,
):
    """Marking a record practice-changing flags the page (on the audit chain) and can import it
    as a reference of the library."""
    with at(NOV_10):
        inbox.run_search(search, NOV_10)
    record = search.records.get(pmid="32000001")

    inbox.decide(record, physician_user, Decision.PRACTICE_CHANGING, import_reference=True)

    record.refresh_from_db()
    assert record.reference == Reference.objects.get(pmid="32000001")
    assert record.reference.title.startswith("Repeated intravenous ketamine")
    (flag,) = PageFlag.objects.for_object(search.condition)
    assert flag.reason == "practice_changing"
    event = ReviewEvent.objects.for_object(search.condition).first()
    assert (event.kind, event.actor) == ("evidence_flagged", physician_user)
    assert evidence_status(search.condition).status == "under_review"


def test_not_relevant_and_noted_open_no_review(sources, search, physician_user):  # noqa: F811
    """Screening a record away changes nothing on the page."""
    with at(NOV_10):
        inbox.run_search(search, NOV_10)
    first, second = search.records.all()[:2]

    inbox.decide(first, physician_user, Decision.NOT_RELEVANT)
    inbox.decide(second, physician_user, Decision.NOTED)

    assert not PageFlag.objects.exists()
    assert evidence_status(search.condition).status == "current"


def test_only_a_physician_screens_the_inbox(sources, search, editor):  # noqa: F811
    """An editor's decision is refused."""
    with at(NOV_10):
        inbox.run_search(search, NOV_10)

    with pytest.raises(EvidenceError, match="physician"):
        inbox.decide(search.records.first(), editor, Decision.NOTED)


def test_evidence_reviewed_through_is_how_far_the_inbox_was_cleared_at_sign_off(
    sources,  # noqa: F811
    search,
    editor,
    physician_user,
):
    """Cleared through the first run when signed: that run's last day; records screened after
    the sign-off count for the next one."""
    page = search.condition
    with at(NOV_10):
        inbox.run_search(search, NOV_10)
    with at(NOV_30):
        inbox.run_search(search, NOV_30)
    for record in search.records.filter(run__through=NOV_10):
        inbox.decide(record, physician_user, Decision.NOTED)
    edit(page, editor, summary="Revised after the new studies.")
    workflow.sign_off(page, physician_user, PASSWORD)

    assert reviewed_through(page) == (NOV_10, True)

    inbox.decide(search.records.get(run__through=NOV_30), physician_user, Decision.NOT_RELEVANT)
    assert reviewed_through(page) == (NOV_10, True)
    edit(page, editor, summary="Revised once more.")
    with clock.frozen_at(clock.now() + timedelta(seconds=1)):
        workflow.sign_off(page, physician_user, PASSWORD)
    assert reviewed_through(page) == (NOV_30, True)
    assert screening_counts(search, None, clock.now() + timedelta(seconds=2)) == (4, 0)


def test_a_page_without_a_saved_search_keeps_its_typed_date(published, editor):
    """Without a saved search the editor's month stands, marked as typed."""
    edit(published, editor, evidence_reviewed_through=date(2026, 5, 1))

    assert reviewed_through(published) == (date(2026, 5, 1), False)
    assert evidence_status(published).as_json()["reviewed_through_source"] == "editor"


def test_a_newer_version_is_imported_as_a_replacement_reference(sources, physician_user):  # noqa: F811
    """The PMID of a newer version becomes a reference of the library in one step."""
    reference = inbox.import_as_reference(NEWER_VERSION, physician_user)

    assert reference.pmid == NEWER_VERSION
    assert reference.doi == "10.5555/14651858.CD000104.pub3"


def test_the_public_stamp_and_history_say_what_the_inbox_said_at_each_review(
    sources,  # noqa: F811
    search,
    editor,
    physician_user,
    publisher,
    client,
):
    """The page shows the computed day, not the month an editor typed; its history says, per
    review, how many new studies were screened and how many changed the page."""
    page = search.condition
    edit(page, editor, evidence_reviewed_through=date(2025, 1, 1))
    with at(NOV_10):
        inbox.run_search(search, NOV_10)
    first, second, third = search.records.filter(run__through=NOV_10)
    inbox.decide(first, physician_user, Decision.NOT_RELEVANT)
    inbox.decide(second, physician_user, Decision.NOTED)
    inbox.decide(third, physician_user, Decision.PRACTICE_CHANGING)
    edit(page, editor, summary="Revised after the new trial.")
    with clock.frozen_at(clock.now() + timedelta(seconds=1)):
        workflow.sign_off(page, physician_user, PASSWORD)
        workflow.publish(page, publisher)

    html = client.get(page.get_absolute_url()).content.decode()
    assert '<dt>Evidence reviewed through:</dt> <dd><time datetime="2026-11-10">' in html
    assert "January 2025" not in html
    history = client.get(f"{page.get_absolute_url()}history/").content.decode()
    assert "3 new studies from the literature search screened since the review before; " in (
        history
    )
    assert "1 changed the page." in history
    assert (
        "No new studies from the literature search were screened before this review." in history
    ), "the first review was signed before the records were screened"
