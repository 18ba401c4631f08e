"""Each kind of finding has exactly its documented effects, once; a physician can dismiss one."""

import pytest
from django.core import mail

from evidence import corrections, dismissal, watch
from evidence.errors import EvidenceError
from evidence.models import EditorTask, Finding, PageFlag
from evidence.status import evidence_status, public_notice
from purges.models import Purge
from reviews import workflow
from reviews.audit_chain import broken_links
from reviews.models import ReviewEvent
from tests.conftest import PASSWORD, edit, make_user
from tests.evidence_sources import (
    CLEAN,
    CONCERN,
    ERRATUM,
    NEWER_VERSION,
    REPUBLISHED,
    RETRACTED,
    UPDATE_TO_ONLY,
    UPDATE_TO_OTHER_WORK,
    UPDATED,
    UPDATED_BY_ONLY,
    cite,
    live_page_citing,
)
from tests.evidence_sources import sources as sources  # noqa: F401 - the fixture, by its name
from tests.test_webhooks import add_webhook, partner  # noqa: F401 - the fixture, by its name
from webhooks.models import Delivery


@pytest.fixture
def watched(sources, editor, physician_user, publisher, django_capture_on_commit_callbacks):  # noqa: F811
    """Publish a page citing one reference, run the watch (after-commit work included)."""

    for user, address in (
        (physician_user, "house@clinic.example"),
        (editor, "edna@clinic.example"),
    ):
        user.email = address
        user.save()

    def run(**identifiers):
        reference = cite("cited2019", **identifiers)
        page = live_page_citing(editor, physician_user, publisher, reference)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            watch.run()
        reference.refresh_from_db()
        return page, reference

    return run


def effects(page, reference) -> dict:
    """Everything a finding can change, in one comparable picture."""
    return {
        "retracted": reference.retracted,
        "flags": list(PageFlag.objects.for_object(page).values_list("reason", flat=True)),
        "tasks": EditorTask.objects.count(),
        "notice": public_notice(page),
        "status": evidence_status(page).status,
        "mail": len(mail.outbox),
        "audit": list(
            ReviewEvent.objects.for_object(page)
            .filter(kind=ReviewEvent.Kind.EVIDENCE_FLAGGED)
            .values_list("kind", flat=True)
        ),
        "webhook": Delivery.objects.filter(event_type="reference.retracted").count(),
    }


@pytest.fixture
def listening(partner):  # noqa: F811
    return add_webhook(partner, "http://127.0.0.1:9/hooks", "reference.retracted")[0]


def test_a_retraction_marks_flags_tells_notes_and_announces(watched, listening):
    """Retraction: reference retracted, page flagged and on the audit chain, physician and
    editor e-mailed, the public note shown, status under review, the webhook sent."""
    page, reference = watched(pmid=RETRACTED)

    assert effects(page, reference) == {
        "retracted": True,
        "flags": ["retraction"],
        "tasks": 0,
        "notice": "This page is being reviewed because a study it cites was retracted.",
        "status": "under_review",
        "mail": 1,
        "audit": ["evidence_flagged"],
        "webhook": 1,
    }
    assert sorted(mail.outbox[0].to) == ["edna@clinic.example", "house@clinic.example"]
    assert "31000101" in reference.retraction_notice
    assert broken_links() == []


def test_an_expression_of_concern_opens_a_review_without_a_public_note(watched, listening):
    """Expression of concern: flag, audit event, status under review; nothing else."""
    page, reference = watched(pmid=CONCERN)

    assert effects(page, reference) == {
        "retracted": False,
        "flags": ["expression_of_concern"],
        "tasks": 0,
        "notice": "",
        "status": "under_review",
        "mail": 0,
        "audit": ["evidence_flagged"],
        "webhook": 0,
    }


@pytest.mark.parametrize("pmid", [ERRATUM, REPUBLISHED])
def test_an_erratum_or_a_republication_gives_the_editors_a_task_and_nothing_else(
    watched, listening, pmid
):
    """Erratum, corrected and republished: a task to check the correction; the page stays
    current."""
    page, reference = watched(pmid=pmid)

    assert effects(page, reference) == {
        "retracted": False,
        "flags": [],
        "tasks": 1,
        "notice": "",
        "status": "current",
        "mail": 0,
        "audit": [],
        "webhook": 0,
    }


def test_a_newer_version_is_offered_as_a_replacement_and_nothing_else(watched, listening):
    """Updated: a finding naming the newer version's PMID; no flag, task, note or mail."""
    page, reference = watched(pmid=UPDATED)

    (finding,) = Finding.objects.all()
    assert (finding.kind, finding.severity, finding.notice_pmid) == (
        "updated",
        "info",
        NEWER_VERSION,
    )
    assert effects(page, reference)["flags"] == []
    assert effects(page, reference)["status"] == "current"
    assert effects(page, reference)["tasks"] == 0


def test_a_clean_record_changes_nothing(watched, listening):
    """A record without notices records no finding."""
    page, reference = watched(pmid=CLEAN, doi="10.5555/btj.2021.0501")

    assert Finding.objects.count() == 0
    assert effects(page, reference)["status"] == "current"


@pytest.mark.parametrize("doi", [UPDATED_BY_ONLY, UPDATE_TO_ONLY])
def test_crossref_retractions_are_found_in_either_field(watched, doi):
    """A retraction only in updated-by (Retraction Watch), or only in update-to naming the work
    itself (a publisher's deposit), is a retraction."""
    page, reference = watched(doi=doi)

    (finding,) = Finding.objects.all()
    assert finding.kind == "retraction"
    assert reference.retracted


def test_a_notice_about_another_work_is_not_a_finding_about_this_one(watched):
    """update-to naming another DOI: the cited record is the notice, not the corrected work."""
    watched(doi=UPDATE_TO_OTHER_WORK)

    assert Finding.objects.count() == 0


def test_pubmed_and_crossref_reporting_one_retraction_record_it_once(watched):
    """The same retraction in PubMed and in Crossref is one finding, one flag, one e-mail."""
    page, reference = watched(pmid=RETRACTED, doi=UPDATED_BY_ONLY)

    assert Finding.objects.count() == 1
    assert PageFlag.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_physician_dismisses_a_finding_with_password_and_reason(watched, physician_user):
    """The dismissal needs the password and a reason, takes back the watch's retraction, closes
    the review and is on the audit chain."""
    page, reference = watched(pmid=RETRACTED)
    finding = Finding.objects.get()

    with pytest.raises(EvidenceError, match="password"):
        dismissal.dismiss(finding, physician_user, "wrong", "Replaced under the same DOI.")
    with pytest.raises(EvidenceError, match="reason"):
        dismissal.dismiss(finding, physician_user, PASSWORD, " ")
    dismissal.dismiss(finding, physician_user, PASSWORD, "Retracted and replaced, same DOI.")

    reference.refresh_from_db()
    assert not reference.retracted
    assert evidence_status(page).status == "current"
    assert public_notice(page) == ""
    event = ReviewEvent.objects.for_object(page).first()
    assert (event.kind, event.actor) == ("finding_dismissed", physician_user)
    assert "Retracted and replaced, same DOI." in event.note
    assert broken_links() == []


def test_an_editor_cannot_dismiss_a_finding(watched, editor):
    """Only a physician decides a finding does not hold."""
    watched(pmid=CONCERN)

    with pytest.raises(EvidenceError, match="physician"):
        dismissal.dismiss(Finding.objects.get(), editor, PASSWORD, "No.")


def test_a_new_sign_off_closes_the_review_the_finding_opened(
    watched, editor, physician_user, publisher
):
    """The flag stays open until a physician signs the page off again."""
    page, _ = watched(pmid=CONCERN)
    edit(page, editor, clinical_definition="A corrected text without the study.")
    workflow.submit_for_review(page, editor)
    workflow.sign_off(page, physician_user, PASSWORD)

    assert evidence_status(page).status == "current"


def test_readers_see_the_retraction_note_above_the_live_page_until_it_is_dismissed(
    watched, client, physician_user, django_capture_on_commit_callbacks
):
    """The note is drawn into the live page's answer (not its signed text), purges the page
    from edge caches, changes its ETag, and goes with the dismissal."""
    page, _ = watched(pmid=RETRACTED)
    url = page.get_absolute_url()
    noted = client.get(url)
    html = noted.content.decode()

    note = (
        '<aside class="page-notice" role="status" aria-label="Notice"><p>This page is being '
        "reviewed because a study it cites was retracted.</p></aside>"
    )
    assert html.count(note) == 1
    assert html.index('class="byline"') < html.index(note) < html.index('class="summary"')
    assert Purge.objects.filter(reason=Purge.Reason.ALONGSIDE, object_id=page.pk).count() == 1
    assert client.get(url, HTTP_IF_NONE_MATCH=noted["ETag"]).status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
        dismissal.dismiss(Finding.objects.get(), physician_user, PASSWORD, "Same-DOI replacement.")
    cleared = client.get(url, HTTP_IF_NONE_MATCH=noted["ETag"])

    assert cleared.status_code == 200, "a copy with the note is not revalidated"
    assert "page-notice" not in cleared.content.decode()
    assert Purge.objects.filter(reason=Purge.Reason.ALONGSIDE, object_id=page.pk).count() == 2


def test_with_no_public_notices_the_live_page_shows_none(watched, client, settings):
    settings.EVIDENCE_PUBLIC_NOTICE = "never"
    page, _ = watched(pmid=RETRACTED)

    assert evidence_status(page).status == "under_review"
    assert "page-notice" not in client.get(page.get_absolute_url()).content.decode()


def test_only_someone_who_may_edit_pages_marks_a_correction_checked(
    watched, editor, physician_user
):
    """The rule is the function's, so the admin's action, a command and the shell obey it."""
    watched(pmid=ERRATUM)
    tasks = EditorTask.objects.all()
    reader = make_user("vera")  # staff in no group: may not change pages

    with pytest.raises(EvidenceError, match="edit pages"):
        corrections.mark_checked(tasks, reader)
    assert tasks.filter(done_at__isnull=True).count() == 1
    assert corrections.mark_checked(tasks, editor) == 1
    assert tasks.get().done_by == editor
