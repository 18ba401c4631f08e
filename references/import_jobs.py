"""Importing a file too large to preview at once: a job row and a background task.

An upload above REFERENCE_UPLOAD_MAX_BYTES (and up to REFERENCE_BACKGROUND_UPLOAD_MAX_BYTES)
becomes a ReferenceImport holding the file's text. The task runs it twice, as the admin's
preview and confirmation would: first the import undone (a dry run), recording what it would
do; then, once an editor confirms, the import itself. Each run is one transaction holding both
the references and the job's outcome, so a file that fails part-way leaves nothing half-saved,
and a job is never marked done without its references nor the reverse.

A run is safe to repeat: a job that has ended (checked, done, failed, discarded) is left as it
is; a job left running by a worker that died saved nothing (its transaction never committed)
and is run again.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from references.errors import ImportFormatError, ImportJobError
from references.importers import detect_format
from references.importers.saving import ImportReport, Status
from references.imports import import_text
from references.models import ReferenceImport
from tasks.leases import WorkerLost, on_give_up
from tovani.tasks import enqueue_on_commit, retry_later

State = ReferenceImport.State
# A file of 40,000 broken records would otherwise store 40,000 messages in the job's row.
KEPT_MESSAGES = 1000


def may_import(user) -> bool:
    """Who may start, confirm and read imports: whoever may add references."""
    return user.is_active and user.has_perm("references.add_reference")


def start_import(text: str, *, name: str, size: int, fmt: str | None, user) -> ReferenceImport:
    """Keep the file's text in a new job and queue its check once this transaction commits."""
    if not may_import(user):
        raise PermissionDenied
    with transaction.atomic():
        discard_unconfirmed()
        job = ReferenceImport.objects.create(
            started_by=user,
            file_name=name,
            size=size,
            format=fmt or detect_format(text, name),
            content=text,
        )
        enqueue_on_commit(run_import_job, job.pk)
    return job


def confirm(job_id: int, user) -> ReferenceImport:
    """Queue the import of a checked file, as the editor who confirms it."""
    if not may_import(user):
        raise PermissionDenied
    with transaction.atomic():
        job = _locked(job_id, State.CHECKED, "confirmed")
        job.state = State.QUEUED
        job.confirmed_by, job.confirmed_at = user, timezone.now()
        job.started_at = job.finished_at = None
        job.save()
        enqueue_on_commit(run_import_job, job.pk)
    return job


def discard(job_id: int, user) -> ReferenceImport:
    """End a checked job without importing it; its file's text goes."""
    if not may_import(user):
        raise PermissionDenied
    with transaction.atomic():
        job = _locked(job_id, State.CHECKED, "discarded")
        job.state, job.content, job.finished_at = State.DISCARDED, "", timezone.now()
        job.discarded_by = user
        job.save()
    return job


def discard_unconfirmed() -> int:
    """Discard checked jobs nobody confirmed within REFERENCE_IMPORT_CONFIRM_DAYS, so their
    files' text does not stay in the database; how many. Each new upload runs it."""
    cutoff = timezone.now() - timedelta(days=settings.REFERENCE_IMPORT_CONFIRM_DAYS)
    stale = ReferenceImport.objects.filter(state=State.CHECKED, finished_at__lt=cutoff)
    discarded = 0
    for job in stale.select_for_update(skip_locked=True).defer("content"):
        job.state, job.content, job.finished_at = State.DISCARDED, "", timezone.now()
        job.save(update_fields=["state", "content", "finished_at"])
        discarded += 1
    return discarded


def _locked(job_id: int, state: str, step: str) -> ReferenceImport:
    job = ReferenceImport.objects.select_for_update().defer("content").get(pk=job_id)
    if job.state != state:
        raise ImportJobError(
            f"The import of {job.file_name} cannot be {step}: it is "
            f"{job.get_state_display()}, and only a {State(state).label} one can be."
        )
    return job


def run(job_id: int) -> str:
    """Check or import the job's file unless the job has ended; returns its state after."""
    if not _claim(job_id):
        return ReferenceImport.objects.values_list("state", flat=True).get(pk=job_id)
    with transaction.atomic():
        job = ReferenceImport.objects.select_for_update().get(pk=job_id)
        if job.state != State.RUNNING:
            return job.state  # another run finished it while this one waited for the lock
        try:
            _record(job, _import(job))
        except ImportFormatError as error:
            _record(job, problems=error.problems)
        return job.state


def _claim(job_id: int) -> bool:
    """Mark the job running, committed at once so its page says so; False if it has ended."""
    with transaction.atomic():
        job = ReferenceImport.objects.select_for_update().defer("content").get(pk=job_id)
        if not job.in_progress:
            return False
        job.state, job.started_at = State.RUNNING, timezone.now()
        job.save(update_fields=["state", "started_at"])
    return True


def _import(job: ReferenceImport) -> ImportReport:
    """The dry run until the job is confirmed, then the import, recorded as its confirmer's."""
    return import_text(
        job.content,
        fmt=job.format,
        name=job.file_name,
        user=job.confirmed_by,
        dry_run=not job.confirmed,
    )


def _record(job: ReferenceImport, report: ImportReport | None = None, problems=()):
    if report is not None:
        statuses = [outcome.status for outcome in report.outcomes]
        job.added = statuses.count(Status.NEW)
        job.in_library = statuses.count(Status.IN_LIBRARY)
        job.repeated = statuses.count(Status.REPEATED)
        job.warnings = _kept(report.warnings)
        problems = report.problems
    job.problems = _kept(list(problems))
    if job.problems:
        job.state = State.FAILED
    else:
        job.state = State.DONE if job.confirmed else State.CHECKED
    _finish(job)


def _finish(job: ReferenceImport):
    job.finished_at = timezone.now()
    if job.state != State.CHECKED:
        job.content = ""  # the outcome stays; the file is no longer needed
    job.save()


def _kept(messages: list[str]) -> list[str]:
    if len(messages) <= KEPT_MESSAGES:
        return messages
    more = len(messages) - KEPT_MESSAGES
    return [*messages[:KEPT_MESSAGES], f"… and {more} more not kept here."]


def give_up(job_id: int, error: Exception):
    """After the last failed attempt: the job fails, saying nothing was imported."""
    with transaction.atomic():
        job = ReferenceImport.objects.select_for_update().defer("content").get(pk=job_id)
        if not job.in_progress:
            return
        job.state = State.FAILED
        job.problems = [
            f"The import stopped with an error ({type(error).__name__}: {error}); nothing was "
            "imported. Upload the file again, and tell the site's administrator if it recurs."
        ]
        _finish(job)


# On a queue of its own, run by a worker of its own: a file of 100,000 references takes minutes,
# which must not hold back publishing or webhooks on "default".
@task(queue_name="imports")
def run_import_job(job_id: int, attempt: int = 1) -> str:
    """Run one job's check or import; an error costs a retry, and the last one fails the job."""
    try:
        return run(job_id)
    except Exception as error:
        problem = f"Could not run the import of references {job_id}: {error}"
        if not retry_later(run_import_job, attempt, (job_id,), problem):
            give_up(job_id, error)
        raise


# A file whose check or import kills its worker again and again fails, saying so.
on_give_up(run_import_job, lambda args, kwargs, reason: give_up(args[0], WorkerLost(reason)))
