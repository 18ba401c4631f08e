"""Tasks always finish or say why: a task whose worker died runs again after its lease.

The process tests kill a real db_worker with SIGKILL in the middle of a task (a webhook
delivery waiting for its receiver, a scheduled publication waiting for its signing key), start
another, and time how long the task takes to complete after the restart: within the lease.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from references.import_jobs import run_import_job
from reviews import clock, workflow
from reviews.models import ReviewEvent, ScheduledPublication
from reviews.scheduled_publishing import publish_when_due
from tasks import leases
from tasks.models import WorkerBeat
from tests.conftest import PASSWORD
from tests.processes import ROOT
from tests.task_worker import DATABASE_TASKS, run_due_tasks
from tests.test_background_tasks import run_in_shell, task_database, worker_env
from tovani.tasks import send_email

LEASE = 3  # seconds, for the process tests
# A worker run in the test's process commits as it claims and finishes tasks (and closes a
# connection left in a transaction), so those tests run outside the per-test transaction.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)
_ = task_database  # the fixture: a migrated SQLite file the worker processes share


@pytest.fixture
def database_tasks(db, settings):
    settings.TASKS = DATABASE_TASKS
    settings.TASK_LEASE_SECONDS = 60
    settings.TASK_MAX_ATTEMPTS = 3
    return settings


def claimed_by(worker, result, minutes_ago):
    """The task as a worker leaves it when it dies: running, since minutes_ago."""
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker)
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return row


def test_a_task_of_a_silent_worker_is_failed_with_the_reason_and_queued_again(
    database_tasks, django_capture_on_commit_callbacks
):
    """No sign of life for longer than the lease: the attempt fails naming why; a copy waits."""
    queued = send_email.enqueue("Hello", "Body.", ["a@example.org"])
    WorkerBeat.objects.create(
        worker_id="dead",
        host="h",
        pid=1,
        queues="default",
        started_at=timezone.now() - timedelta(minutes=5),
        beat_at=timezone.now() - timedelta(minutes=2),
    )
    claimed_by("dead", queued, minutes_ago=3)

    with django_capture_on_commit_callbacks(execute=True):
        said = leases.sweep()

    lost = DBTaskResult.objects.get(pk=queued.id)
    assert lost.status == "FAILED"
    assert lost.exception_class_path == leases.LOST
    assert "The worker dead running it gave no sign of life" in lost.traceback
    [again] = DBTaskResult.objects.exclude(pk=queued.id)
    assert again.status == "READY"
    assert again.args_kwargs == lost.args_kwargs
    assert again.queue_name == "default"
    assert "queued again" in said[0]


def test_a_long_task_of_a_worker_still_beating_is_left_alone(
    database_tasks, django_capture_on_commit_callbacks
):
    """A lease is renewed by the worker's beats, however long its task runs."""
    queued = send_email.enqueue("Long", "Body.", ["a@example.org"])
    leases.beat("alive", ["default"])
    claimed_by("alive", queued, minutes_ago=30)

    with django_capture_on_commit_callbacks(execute=True):
        assert leases.sweep() == []

    assert DBTaskResult.objects.get().status == "RUNNING"


@pytest.fixture
def scheduled(published, editor, physician_user, publisher):
    """An approved new version of a live page, scheduled to go live in an hour."""
    from tests.conftest import edit

    edit(published, editor, summary="The scheduled summary.")
    workflow.submit_for_review(published, editor)
    workflow.sign_off(published, physician_user, PASSWORD)
    return workflow.schedule_publish(published, publisher, clock.now() + timedelta(hours=1))


@committing
def test_a_scheduled_publication_lost_again_and_again_is_refused_and_its_publisher_told(
    database_tasks, scheduled, publisher, django_capture_on_commit_callbacks
):
    """After TASK_MAX_ATTEMPTS losses the order is refused with the reason; nothing hangs."""
    publisher.email = "pat@example.org"
    publisher.save()
    DBTaskResult.objects.all().delete()  # the task scheduling queued; this test queues its own
    queued = publish_when_due.enqueue(scheduled.pk)
    for loss in range(3):
        claimed_by(f"dead-{loss}", queued, minutes_ago=2)
        with django_capture_on_commit_callbacks(execute=True):
            leases.sweep()
        queued = DBTaskResult.objects.filter(
            status="READY", task_path=publish_when_due.module_path
        ).first()

    assert queued is None  # given up, not queued a fourth time
    run_due_tasks()  # the e-mail to the publisher
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduledPublication.Status.REFUSED
    assert "gave no sign of life" in scheduled.reason
    assert "It was lost 3 times" in scheduled.reason
    refused = ReviewEvent.objects.filter(kind=ReviewEvent.Kind.SCHEDULE_REFUSED).get()
    assert refused.note == scheduled.reason
    told = [m for m in mail.outbox if m.to == ["pat@example.org"]]
    assert told
    assert "Scheduled publication refused" in told[0].subject


def test_a_pending_delivery_whose_task_was_lost_is_queued_again_by_the_sweep(
    database_tasks, django_capture_on_commit_callbacks
):
    """Pending with no next attempt and no task (its row lost): queued again, once."""
    from partners.accounts import create_partner
    from webhooks.models import Delivery, Endpoint
    from webhooks.tasks import deliver

    partner, _ = create_partner("Hooked", contact_email="h@example.org")
    endpoint = Endpoint.objects.create(partner=partner, url="https://hooks.example.org/in")
    delivery = Delivery.objects.create(
        endpoint=endpoint, event_id="msg_1", event_type="page.published", payload={}
    )
    Delivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - timedelta(minutes=5))

    with django_capture_on_commit_callbacks(execute=True):
        said = leases.sweep()
        again = leases.sweep()

    assert said == [f"webhook delivery {delivery.pk}: pending with no task, queued again."]
    assert again == []
    assert leases.waiting(deliver) == [[delivery.pk]]


@committing
def test_a_scheduled_publication_overdue_with_no_task_is_carried_out_at_once(
    database_tasks, scheduled, django_capture_on_commit_callbacks
):
    """Its time passed while nothing was queued to carry it out: the sweep runs it now."""
    ScheduledPublication.objects.filter(pk=scheduled.pk).update(
        publish_at=clock.now() - timedelta(minutes=5)
    )
    DBTaskResult.objects.all().delete()  # its task row lost (a database restored, say)
    assert leases.waiting(publish_when_due) == []

    with django_capture_on_commit_callbacks(execute=True):
        leases.sweep()
    run_due_tasks()

    scheduled.refresh_from_db()
    assert scheduled.status == ScheduledPublication.Status.PUBLISHED
    assert scheduled.publication.document["summary"] == "The scheduled summary."


@committing
def test_imports_run_on_their_own_queue_so_a_default_worker_is_never_held_back(database_tasks):
    """A worker for "default" runs e-mail, webhooks and publications; imports wait for theirs."""
    from django_tasks_db.management.commands.db_worker import Worker

    assert run_import_job.queue_name == "imports"
    run_import_job.enqueue(12345)
    send_email.enqueue("Not held back", "Body.", ["a@example.org"])

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="default-worker",
        excluded_queue_names=[],
    ).run()

    statuses = dict(DBTaskResult.objects.values_list("queue_name", "status"))
    assert statuses == {"default": "SUCCESSFUL", "imports": "READY"}


# Killing a real worker mid-task.


class HangingReceiver:
    """A webhook receiver whose first request hangs until released; later ones answer 204."""

    def __init__(self):
        self.arrived, self.release = threading.Event(), threading.Event()
        self.requests = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append(time.monotonic())
                if len(outer.requests) == 1:
                    outer.arrived.set()
                    outer.release.wait(60)
                    return
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def leased_env(database, **extra):
    return {
        **worker_env(database, smtp_port=25),
        "TASK_LEASE_SECONDS": str(LEASE),
        "DEBUG": "1",  # the page renders without collectstatic's manifest
        "WEBHOOK_ALLOW_LOOPBACK": "1",
        "WEBHOOK_TIMEOUT": "60",
        **extra,
    }


def start_worker(env, log=None):
    """A db_worker polling every 0.2 s; its log lines go to log (a path) when given."""
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (the child's)
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
        ],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=output,
    )


def killed(worker):
    worker.send_signal(signal.SIGKILL)
    worker.wait()


def completes_within(check, seconds) -> float | None:
    """Seconds until check() holds, or None if it does not within the time."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.05)
    return None


def assert_within_the_lease(database, done_at, since_restart, what):
    """Done within the lease of the new worker's first sign of life (its own start, seconds of
    Django on a busy machine, comes before that and is reported apart)."""
    (up,) = row(
        database,
        "SELECT min(started_at) FROM tasks_workerbeat WHERE pid > 0 AND "
        "started_at = (SELECT max(started_at) FROM tasks_workerbeat)",
    )
    after_up = (_moment(done_at) - _moment(up)).total_seconds()
    print(
        f"{what}: done {since_restart:.1f} s after the restart, {after_up:.1f} s after the new "
        f"worker's first beat (lease {LEASE} s)"
    )
    assert after_up <= LEASE + 1


def _moment(text):
    return datetime.fromisoformat(str(text))


def row(database, query, *params):
    """One row read straight from the worker's SQLite file: quick enough to time a task by."""
    with closing(sqlite3.connect(database, timeout=10)) as connection:
        return connection.execute(query, params).fetchone()


def test_a_worker_killed_mid_delivery_the_delivery_completes_within_the_lease_after_restart(
    task_database,
):
    """The receiver holds the first POST; the worker is killed there; a new worker sends it."""
    receiver = HangingReceiver()
    env = leased_env(task_database)
    worker = start_worker(env)
    try:
        delivery = run_in_shell(
            env,
            "from partners.accounts import create_partner; "
            "from webhooks.models import Endpoint; from webhooks.events import emit; "
            "partner, _ = create_partner('Hooked', contact_email='h@example.org'); "
            f"Endpoint.objects.create(partner=partner, url={receiver.url!r}); "
            "print(emit('page.published', {'slug': 'x'})[0].pk)",
        )
        assert receiver.arrived.wait(30), "the worker started the delivery"
        killed(worker)
        status = (
            "from webhooks.models import Delivery; "
            f"d = Delivery.objects.get(pk={delivery}); print(d.status, d.attempts)"
        )
        assert run_in_shell(env, status) == "pending 0"  # the attempt died with its worker
        worker = start_worker(env)
        delivered = "SELECT status FROM webhooks_delivery WHERE id = ?"
        took = completes_within(
            lambda: row(task_database, delivered, delivery) == ("delivered",), 30
        )
    finally:
        killed(worker)
        receiver.close()
    assert took is not None, "the delivery was sent again after the lease"
    assert run_in_shell(env, status) == "delivered 1"
    done = row(task_database, "SELECT delivered_at FROM webhooks_delivery WHERE id = ?", delivery)
    assert_within_the_lease(task_database, done[0], took, "delivery")


def test_a_worker_killed_mid_scheduled_publication_it_goes_live_within_the_lease_after_restart(
    task_database, tmp_path
):
    """The worker waits for its signing key mid-publish and is killed there; the order, whose
    time has passed, is carried out at once by a new worker."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key_file = tmp_path / "key.pem"
    key_file.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    stalled = tmp_path / "stalled-key.pem"
    os.mkfifo(stalled)  # reading it blocks until someone writes: a publish that hangs
    env = leased_env(task_database, SIGNING_KEY="", SIGNING_KEY_FILE=str(key_file))
    item = run_in_shell(env, "from tests.lease_scenarios import scheduled; print(scheduled(2))")
    worker = start_worker(
        {**env, "SIGNING_KEY_FILE": str(stalled)}, os.environ.get("LEASE_TEST_LOG")
    )
    state = (
        "from reviews.models import ScheduledPublication as S; "
        f"print(S.objects.get(pk={item}).status)"
    )
    running = (
        "from django_tasks_db.models import DBTaskResult as R; "
        "print(R.objects.filter(status='RUNNING', task_path__endswith='publish_when_due').count())"
    )
    try:
        assert completes_within(lambda: run_in_shell(env, running) == "1", 30) is not None
        time.sleep(0.5)  # well inside publish(), blocked on the key
        killed(worker)
        assert run_in_shell(env, state) == "scheduled"  # nothing went live with the dead worker
        worker = start_worker(env, log=os.environ.get("LEASE_TEST_LOG"))
        published = "SELECT status FROM reviews_scheduledpublication WHERE id = ?"
        took = completes_within(lambda: row(task_database, published, item) == ("published",), 30)
    finally:
        killed(worker)
    assert took is not None, row(
        task_database, "SELECT status, reason FROM reviews_scheduledpublication WHERE id = ?", item
    )
    done = row(
        task_database, "SELECT closed_at FROM reviews_scheduledpublication WHERE id = ?", item
    )
    assert_within_the_lease(task_database, done[0], took, "scheduled publication")
