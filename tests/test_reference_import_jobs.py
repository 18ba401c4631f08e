"""Files too large to preview at once: checked by a background task, imported once an editor
confirms, all or nothing, with a status page reporting each step.

The size limits are made small here so that a three-reference file counts as a large one; the
suite's tasks run inline (TASKS_BACKEND=immediate) unless a test queues them in the database
for a worker.
"""

import http.client
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from reversion.models import Version

from references import import_jobs
from references.models import Reference, ReferenceImport
from tests.conftest import PASSWORD, make_reference, make_user
from tests.nginx import nginx_in_front_of
from tests.pagetext import visible_text
from tests.task_worker import DATABASE_TASKS, run_due_tasks

DATA = Path(__file__).parent / "data" / "references"
OCD_RIS = (DATA / "ocd-three.ris").read_text()
FIRST_RECORD, SECOND_RECORD = (record + "ER  - \n" for record in OCD_RIS.split("ER  - ")[:2])
FILE_IMPORT_URL = "/admin/references/reference/import/file/"
JOBS_URL = "/admin/references/referenceimport/"
THESIS_WITHOUT_SOURCE = (
    "\nTY  - THES\nAU  - Smith, Jane\nTI  - A thesis read nowhere\nPY  - 2020\nER  - \n"
)
State = ReferenceImport.State


@pytest.fixture
def limits(settings):
    """Up to 500 bytes previewed at once; up to 20 kB in the background."""
    settings.REFERENCE_UPLOAD_MAX_BYTES = 500
    settings.REFERENCE_BACKGROUND_UPLOAD_MAX_BYTES = 20_000
    return settings


@pytest.fixture
def editor_client(client, editor, limits):
    assert client.login(username=editor.username, password=PASSWORD)
    return client


def committed():
    """Run what a request's committed transactions queue, as the running site does (each
    test runs inside a transaction that is never committed)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def upload(client, text, name="library.ris", **data):
    file = SimpleUploadedFile(name, text.encode())
    with committed():
        return client.post(FILE_IMPORT_URL, {"file": file, **data})


def status_url(job):
    return f"{JOBS_URL}{job.pk}/change/"


def status_page(client, job) -> str:
    """The status page's HTML."""
    response = client.get(status_url(job))
    assert response.status_code == 200
    return response.content.decode()


def status_text(client, job) -> str:
    """The status page as an editor reads it."""
    return visible_text(status_page(client, job))


def confirm(client, job):
    with committed():
        return client.post(f"{JOBS_URL}{job.pk}/confirm/")


def job_outcome(job):
    job.refresh_from_db()
    return job.state, job.added, job.in_library, job.repeated


def test_a_file_above_the_preview_limit_is_checked_then_imported_once_confirmed(
    editor_client, editor, reference
):
    """Three references, one already in the library and one twice: the check saves nothing
    and counts them; the confirmed import adds the other two and clears the file's text."""
    response = upload(editor_client, OCD_RIS + "\n" + SECOND_RECORD)
    job = ReferenceImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == status_url(job)
    assert job_outcome(job) == (State.CHECKED, 2, 1, 1)
    assert Reference.objects.count() == 1
    assert "Checked, waiting for confirmation. Nothing is saved yet." in status_text(
        editor_client, job
    )
    assert 'value="Import 2 new references"' in status_page(editor_client, job)

    confirm(editor_client, job)
    assert job_outcome(job) == (State.DONE, 2, 1, 1)
    assert job.confirmed_by == job.started_by == editor
    assert job.content == ""
    assert sorted(Reference.objects.values_list("citekey", flat=True)) == [
        "adams2017",
        "hirschtritt2017",
        "rodriguez2013",
    ]
    text = status_text(editor_client, job)
    assert "Done. The references are in the library." in text
    assert "New references added 2" in text
    assert "Already in the library, not added again 1" in text
    assert "Repeated within the file, saved once 1" in text
    assert "Problems 0" in text
    assert "http-equiv" not in status_page(editor_client, job)


def test_a_file_within_the_preview_limit_is_previewed_as_before(editor_client):
    """One record (under 500 bytes): the preview screen, and no background import."""
    response = upload(editor_client, FIRST_RECORD)
    assert "Preview: nothing is saved yet." in response.content.decode()
    assert not ReferenceImport.objects.exists()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (OCD_RIS + "\nTY  - JOUR\nTI  - A title\n", "The record of line 58 never ends"),
        (
            OCD_RIS + THESIS_WITHOUT_SOURCE,
            "Record 4 (line 58), Smith J 2020: publisher, university or site: A thesis needs "
            "its university, or the URL it is read at.",
        ),
    ],
    ids=["unreadable", "unsavable"],
)
def test_a_file_with_a_malformed_record_fails_naming_its_line_and_writes_nothing(
    editor_client, text, problem
):
    upload(editor_client, text)
    job = ReferenceImport.objects.get()
    assert job.state == State.FAILED
    assert problem in job.problems[0]
    assert job.content == ""
    text = status_text(editor_client, job)
    assert "Failed. Nothing was imported." in text
    assert problem in text
    assert "/confirm/" not in status_page(editor_client, job)
    assert not Reference.objects.exists()


def test_a_failure_part_way_through_the_import_leaves_no_reference_written(
    editor_client, monkeypatch
):
    """The references and the job's outcome are one transaction: an error after the
    references were inserted takes them back, and the job says nothing was imported."""
    upload(editor_client, OCD_RIS)
    job = ReferenceImport.objects.get()

    def fail(job, report=None, problems=()):
        assert Reference.objects.count() == 3  # inserted, not yet committed
        raise RuntimeError("the worker's connection dropped")

    monkeypatch.setattr(import_jobs, "_record", fail)
    confirm(editor_client, job)
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert "the worker's connection dropped" in job.problems[0]
    assert "nothing was imported" in job.problems[0]
    assert not Reference.objects.exists()


def test_running_the_task_again_for_a_done_job_changes_nothing(editor_client):
    upload(editor_client, OCD_RIS)
    job = ReferenceImport.objects.get()
    confirm(editor_client, job)
    job.refresh_from_db()
    before = (job.finished_at, Reference.objects.count(), Version.objects.count())
    assert job.state == State.DONE

    result = import_jobs.run_import_job.enqueue(job.pk)
    job.refresh_from_db()
    assert result.return_value == State.DONE
    assert (job.finished_at, Reference.objects.count(), Version.objects.count()) == before


def test_a_job_left_running_by_a_worker_that_died_is_run_again(editor_client):
    """Its transaction never committed, so nothing was saved: the next run imports the file."""
    upload(editor_client, OCD_RIS)
    job = ReferenceImport.objects.get()
    import_jobs.confirm(job.pk, job.started_by)  # queued after a commit that never comes
    job.refresh_from_db()
    job.state = State.RUNNING  # claimed by a worker that was then killed
    job.save()

    import_jobs.run_import_job.enqueue(job.pk)
    assert job_outcome(job) == (State.DONE, 3, 0, 0)
    assert Reference.objects.count() == 3


def test_a_file_above_the_background_limit_is_refused_naming_the_field_and_the_limit(
    editor_client, limits
):
    limits.REFERENCE_BACKGROUND_UPLOAD_MAX_BYTES = 1000
    response = upload(editor_client, OCD_RIS, name="big.ris")
    assert response.context["form"].errors["file"] == [
        "big.ris is 1 kB; references are imported from files of at most 1000 bytes "
        "(REFERENCE_BACKGROUND_UPLOAD_MAX_BYTES). Split the file and import the parts."
    ]
    assert not ReferenceImport.objects.exists()


def test_pasted_text_above_the_preview_limit_is_refused_naming_the_setting(editor_client):
    """Only an uploaded file goes to the background; a pasted list stays within the preview."""
    html = editor_client.post(FILE_IMPORT_URL, {"text": OCD_RIS}).content.decode()
    assert "The pasted text is 1 kB; references are imported from files of at most 500" in html
    assert "REFERENCE_UPLOAD_MAX_BYTES; a longer list can be uploaded as a file" in html
    assert not ReferenceImport.objects.exists()


def test_the_upload_page_states_both_limits(editor_client):
    html = " ".join(editor_client.get(FILE_IMPORT_URL).content.decode().split())
    assert "Up to 500 bytes: previewed on the next screen." in html
    assert "Larger, up to 20 kB: checked in the background" in html
    assert f'href="{JOBS_URL}"' in html


def test_the_status_page_reloads_itself_while_the_job_waits_for_a_worker(editor_client, limits):
    limits.TASKS = DATABASE_TASKS
    upload(editor_client, OCD_RIS)
    job = ReferenceImport.objects.get()
    assert job.state == State.QUEUED
    assert '<meta http-equiv="refresh" content="5">' in status_page(editor_client, job)
    text = status_text(editor_client, job)
    assert "Waiting for the background worker to check the file." in text
    assert "This page reloads itself every 5 seconds" in text


def test_a_checked_job_can_be_discarded_and_then_not_confirmed(editor_client):
    upload(editor_client, OCD_RIS)
    job = ReferenceImport.objects.get()
    editor_client.post(f"{JOBS_URL}{job.pk}/discard/")
    job.refresh_from_db()
    assert (job.state, job.content) == (State.DISCARDED, "")
    assert f"Nothing was imported: {job.discarded_by} discarded the file." in status_text(
        editor_client, job
    )

    response = confirm(editor_client, job)
    html = editor_client.get(response["Location"]).content.decode()
    assert "The import of library.ris cannot be confirmed: it is discarded" in html
    assert job_outcome(job)[0] == State.DISCARDED
    assert not Reference.objects.exists()


def test_a_checked_job_nobody_confirms_is_discarded_by_a_later_upload(editor_client, limits):
    """Its file's text does not stay in the database past REFERENCE_IMPORT_CONFIRM_DAYS; a job
    checked more recently still waits."""
    limits.REFERENCE_IMPORT_CONFIRM_DAYS = 14
    upload(editor_client, OCD_RIS, name="old.ris")
    upload(editor_client, OCD_RIS, name="recent.ris")
    old, recent = ReferenceImport.objects.order_by("pk")
    ReferenceImport.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - timedelta(days=15)
    )
    ReferenceImport.objects.filter(pk=recent.pk).update(
        finished_at=timezone.now() - timedelta(days=13)
    )
    upload(editor_client, OCD_RIS, name="new.ris")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.state, old.content) == (State.DISCARDED, "")
    assert (recent.state, recent.content) == (State.CHECKED, OCD_RIS)
    assert (
        "Nothing was imported: nobody confirmed the import within 14 days, so the next upload "
        "discarded it." in status_text(editor_client, old)
    )


@pytest.mark.parametrize("group", ["Physicians", "Publishers"])
def test_staff_who_may_not_add_references_may_neither_start_nor_see_imports(
    client, editor, limits, group
):
    with committed():
        job = import_jobs.start_import(OCD_RIS, name="a.ris", size=1238, fmt=None, user=editor)
    other = make_user("other", group)
    client.force_login(other)
    assert upload(client, OCD_RIS).status_code == 403
    assert client.get(JOBS_URL).status_code == 403
    assert client.get(status_url(job)).status_code == 403
    assert confirm(client, job).status_code == 403
    assert ReferenceImport.objects.count() == 1
    assert job_outcome(job)[0] == State.CHECKED
    with pytest.raises(import_jobs.PermissionDenied):
        import_jobs.start_import(OCD_RIS, name="b.ris", size=1238, fmt=None, user=other)


committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@committing
def test_the_database_worker_checks_then_imports_the_file(client, limits):
    """Queued in the database, run by db_worker's own worker loop, as in production."""
    limits.TASKS = DATABASE_TASKS
    editor = make_user("edna", "Editors")
    make_reference("rodriguez2013", pmid="23783065")
    client.force_login(editor)
    upload(client, OCD_RIS)
    job = ReferenceImport.objects.get()
    assert job.state == State.QUEUED
    run_due_tasks()
    assert job_outcome(job) == (State.CHECKED, 2, 1, 0)
    confirm(client, job)
    assert job_outcome(job)[0] == State.QUEUED
    run_due_tasks()
    assert job_outcome(job) == (State.DONE, 2, 1, 0)
    assert Reference.objects.count() == 3


def test_the_import_command_is_unchanged_by_the_admin_limits(tmp_path, limits, db):
    """manage.py import_references reads up to REFERENCE_IMPORT_MAX_BYTES, whatever the
    admin's limits."""
    path = tmp_path / "library.ris"
    path.write_text(OCD_RIS)
    call_command("import_references", str(path))
    assert Reference.objects.count() == 3


@committing
def test_nginx_as_shipped_passes_a_large_upload_on_to_the_admin(live_server):
    """deploy/nginx.conf takes admin bodies above nginx's default 1 MB: a 3 MB POST reaches
    the app (which refuses it for want of a CSRF token), not nginx's 413."""
    with nginx_in_front_of(live_server.url) as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = b"x" * (3 * 1024 * 1024)
        headers = {"Host": "localhost", "Content-Type": "text/plain"}
        connection.request("POST", FILE_IMPORT_URL, body, headers)
        response = connection.getresponse()
        answer = (response.status, response.read().decode())
        connection.close()
    assert answer[0] == 403
    assert "CSRF verification failed" in answer[1]
