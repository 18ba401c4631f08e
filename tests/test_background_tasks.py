"""Background tasks: queued in the database, retried with growing delays, never lost.

A task that fails is logged and tried again after TASK_RETRY_SECONDS, then four times as long
after each further failure, until TASK_MAX_ATTEMPTS; a worker that is killed and started again
runs what was queued meanwhile. The mail servers are real ones on 127.0.0.1.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.mail_servers import free_port, smtp_server
from tests.processes import ROOT, manage, shell_env, wait_until
from tests.task_worker import DATABASE_TASKS, run_due_tasks
from tovani.dev_server import worker_command
from tovani.tasks import send_email

REDIS_SERVER = shutil.which("redis-server")

SMTP = "django.core.mail.backends.smtp.EmailBackend"
# The worker commits as it claims and finishes tasks, so these tests run outside the suite's
# per-test transaction; the migrations' groups are restored afterwards.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE_TASKS
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_TIMEOUT = 3
    settings.TASK_RETRY_SECONDS = 30
    settings.TASK_MAX_ATTEMPTS = 3
    return settings


def attempts():
    return list(DBTaskResult.objects.order_by("enqueued_at"))


def make_due(result):
    result.run_after = timezone.now()
    result.save()


@committing
def test_a_task_waits_in_the_database_until_a_worker_runs_it(database_tasks):
    with smtp_server() as (port, inbox):
        database_tasks.EMAIL_PORT = port
        send_email.enqueue("Queued", "Body.", ["house@example.org"])
        assert [r.status for r in attempts()] == ["READY"]
        assert inbox.messages == []
        run_due_tasks()
    assert [r.status for r in attempts()] == ["SUCCESSFUL"]
    [message] = inbox.messages
    assert message["to"] == ["house@example.org"]
    assert "Subject: Queued" in message["text"]


@committing
def test_a_failing_task_is_logged_and_retried_after_growing_delays_then_given_up(
    database_tasks, caplog
):
    """Refused by the mail server: retried after 30 s, then 120 s; the third failure is final."""
    database_tasks.EMAIL_PORT = free_port()  # nothing listens there: connection refused
    send_email.enqueue("Refused", "Body.", ["house@example.org"])
    started = timezone.now()
    run_due_tasks()
    first, second = attempts()
    assert (first.status, second.status) == ("FAILED", "READY")
    assert second.args_kwargs["kwargs"] == {"attempt": 2}
    assert timedelta(seconds=29) < second.run_after - started < timedelta(seconds=40)
    assert "Could not send “Refused” to house@example.org" in caplog.text
    assert "attempt 1 of 3; trying again in 30 s" in caplog.text

    run_due_tasks()
    assert attempts()[1].status == "READY", "a retry waits for its time"

    make_due(second)
    run_due_tasks()
    third = attempts()[2]
    assert third.run_after - timezone.now() > timedelta(seconds=110)
    assert "attempt 2 of 3; trying again in 120 s" in caplog.text

    make_due(third)
    run_due_tasks()
    assert [r.status for r in attempts()] == ["FAILED", "FAILED", "FAILED"]
    assert "attempt 3 of 3; giving up" in caplog.text


@committing
def test_a_retry_delivers_once_the_mail_server_is_back(database_tasks):
    database_tasks.EMAIL_PORT = free_port()
    send_email.enqueue("Second try", "Body.", ["house@example.org"])
    run_due_tasks()
    with smtp_server() as (port, inbox):
        database_tasks.EMAIL_PORT = port
        make_due(attempts()[1])
        run_due_tasks()
    assert [r.status for r in attempts()] == ["FAILED", "SUCCESSFUL"]
    assert len(inbox.messages) == 1


def test_with_the_immediate_backend_a_failure_is_logged_and_not_retried(settings, caplog):
    """Inline tasks (tests, scripts) cannot wait: the failure is logged, nothing is queued."""
    settings.EMAIL_BACKEND = SMTP
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    result = send_email.enqueue("Inline", "Body.", ["house@example.org"])
    assert result.status == "FAILED"
    assert "not retried: this task backend runs tasks inline" in caplog.text


@pytest.fixture(scope="module")
def task_database(tmp_path_factory):
    """A migrated SQLite file that separate processes (worker, shell) share."""
    path = tmp_path_factory.mktemp("tasks") / "tasks.sqlite3"
    env = worker_env(path, smtp_port=25)
    result = manage("migrate", "--noinput", "-v", "0", env=env)
    assert result.returncode == 0, result.stderr
    return path


def worker_env(database, smtp_port):
    return shell_env(
        SECRET_KEY="worker-test-secret-key-of-some-length-0123456789",
        SIGNING_KEY=os.environ["SIGNING_KEY"],
        SITE_URL="https://library.example",
        DATABASE_URL=f"sqlite:///{database}",
        EMAIL_BACKEND=SMTP,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
    )


def start_worker(env):
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_task_queued_while_the_worker_was_killed_runs_when_it_starts_again(task_database):
    """Enqueue, kill the worker, start it again: the task runs, nothing is lost."""
    with smtp_server() as (port, inbox):
        env = worker_env(task_database, port)
        worker = start_worker(env)
        enqueue = (
            "from tovani.tasks import send_email; "
            "send_email.enqueue('Survives a restart', 'Body.', ['house@example.org'])"
        )
        queued = manage("shell", "-c", enqueue, env=env)
        assert queued.returncode == 0, queued.stderr
        assert wait_until(lambda: len(inbox.messages) == 1, seconds=30), "the worker runs"
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        # Queued again while no worker runs; nothing can send it.
        queued = manage("shell", "-c", enqueue.replace("a restart", "the outage"), env=env)
        assert queued.returncode == 0, queued.stderr
        restarted = start_worker(env)
        try:
            assert wait_until(lambda: len(inbox.messages) >= 2, seconds=30), inbox.messages
        finally:
            restarted.send_signal(signal.SIGTERM)
            assert restarted.wait(timeout=15) == 0
    subjects = sorted(m["text"].split("Subject: ")[1].splitlines()[0] for m in inbox.messages)
    assert subjects == ["Survives a restart", "Survives the outage"]


REFERENCE_FILE = ROOT / "tests" / "data" / "references" / "ocd-three.ris"


def run_in_shell(env, code):
    """Run Python in `manage.py shell`, as an operator would; returns what it printed."""
    result = manage("shell", "--no-imports", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def run_worker_once(env, queue="default"):
    worked = manage("db_worker", "--batch", "--no-startup-delay", "--queue-name", queue, env=env)
    assert worked.returncode == 0, worked.stderr


def test_a_large_reference_import_is_checked_then_imported_by_a_separate_worker(task_database):
    """The file travels in the job's row: a db_worker process of its own, on the imports queue,
    reads it, checks it, and once an editor confirms, imports it."""
    env = worker_env(task_database, smtp_port=25)
    job = run_in_shell(
        env,
        "from pathlib import Path; from django.contrib.auth.models import Group, User; "
        "from references import import_jobs; "
        "user = User.objects.create_user('importer', is_staff=True); "
        "user.groups.add(Group.objects.get(name='Editors')); "
        f"text = Path({str(REFERENCE_FILE)!r}).read_text(); "
        "print(import_jobs.start_import(text, name='ocd-three.ris', size=len(text), "
        "fmt=None, user=user).pk)",
    )
    outcome = (
        "from references.models import Reference, ReferenceImport; "
        f"job = ReferenceImport.objects.get(pk={job}); "
        "print(job.state, job.added, Reference.objects.count(), len(job.content) > 0)"
    )
    assert run_in_shell(env, outcome) == "queued 0 0 True"
    run_worker_once(env)  # the default queue's worker leaves imports to theirs
    assert run_in_shell(env, outcome) == "queued 0 0 True"
    run_worker_once(env, queue="imports")
    assert run_in_shell(env, outcome) == "checked 3 0 True"
    run_in_shell(
        env,
        "from django.contrib.auth.models import User; from references import import_jobs; "
        f"import_jobs.confirm({job}, User.objects.get(username='importer'))",
    )
    run_worker_once(env, queue="imports")
    assert run_in_shell(env, outcome) == "done 3 3 False"


def test_on_sqlite_a_write_waits_for_another_processes_write_instead_of_failing(task_database):
    """A worker's heartbeat writes while its task reads, then writes: the task waits for the
    lock instead of failing with "database is locked" (and being put off for a retry)."""
    env = worker_env(task_database, smtp_port=25)
    holder = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "import time; from django.db import transaction; from django.utils import timezone; "
            "from tasks.models import WorkerBeat\n"
            "with transaction.atomic():\n"
            "    WorkerBeat.objects.create(worker_id='holder', host='h', pid=1, queues='default', "
            "beat_at=timezone.now(), started_at=timezone.now())\n"
            "    print('holding', flush=True)\n"
            "    time.sleep(2)\n",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        waited = run_in_shell(
            env,
            "from django.db import transaction; from django.utils import timezone; "
            "from tasks.models import WorkerBeat\n"
            "with transaction.atomic():\n"
            "    seen = WorkerBeat.objects.count()\n"
            "    WorkerBeat.objects.create(worker_id='waiter', host='h', pid=2, queues='imports', "
            "beat_at=timezone.now(), started_at=timezone.now())\n"
            "print(sorted(WorkerBeat.objects.filter(host='h')"
            ".values_list('worker_id', flat=True)))",
        )
    finally:
        assert holder.wait(timeout=30) == 0
    assert waited == "['holder', 'waiter']"
    run_in_shell(
        env, "from tasks.models import WorkerBeat; WorkerBeat.objects.filter(host='h').delete()"
    )


@pytest.fixture
def redis_server(tmp_path):
    """A redis-server of the test's own on a free port, gone afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", tmp_path],
        stdout=subprocess.DEVNULL,
    )
    assert wait_until(lambda: _accepts(port), seconds=10)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def _accepts(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_with_the_rq_backend_a_task_waits_in_redis_until_an_rq_worker_runs_it(
    task_database, redis_server
):
    """TASKS_BACKEND=rq: enqueued into Redis, run by `rqworker` with django-tasks-rq's job."""
    with smtp_server() as (port, inbox):
        env = {**worker_env(task_database, port), "TASKS_BACKEND": "rq", "REDIS_URL": redis_server}
        enqueue = (
            "from tovani.tasks import send_email; send_email.enqueue('Via RQ', 'B.', ['a@b.org'])"
        )
        queued = manage("shell", "-c", enqueue, env=env)
        assert queued.returncode == 0, queued.stderr
        assert inbox.messages == []
        burst = [*worker_command("rq"), "--burst"]
        worked = subprocess.run(burst, cwd=ROOT, env=env, timeout=120, capture_output=True)
        assert worked.returncode == 0, worked.stderr
    [message] = inbox.messages
    assert "Subject: Via RQ" in message["text"]
