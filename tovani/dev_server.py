"""`make run`'s last step: Django's development server and a task worker, as one command.

    .venv/bin/python -m tovani.dev_server [HOST:PORT]

All start together and stop together: Ctrl-C (or SIGTERM) stops them all within two seconds, and if
one exits on its own the others are stopped too. A worker in the middle of a longer task is killed
when the grace runs out; its lease (tasks.leases) runs that task again after TASK_LEASE_SECONDS. One
worker runs the "default" queue (e-mail, webhooks, scheduled publications), another "imports". Each
child runs in a session of its own, so only this process receives the terminal's Ctrl-C and the
order of shutdown is this module's to decide. TASKS_BACKEND (from the environment or `.env`)
chooses the workers: `db_worker` for the database backend, `rqworker` for RQ, none for immediate.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tovani.env import read_development_env

ROOT = Path(__file__).resolve().parent.parent
# Ctrl-C should feel instant: an idle worker exits at once, the server in under a second.
GRACE_SECONDS = 1.2
# django-tasks-rq runs tasks through its own RQ job class; the scheduler starts retries on time.
RQ_JOB = "django_tasks_rq.Job"


# Each queue has a worker of its own, so a long import never holds back publishing or webhooks.
WORKERS = {"worker": "default", "import worker": "imports"}


def worker_command(backend: str, queue: str = "default") -> list[str] | None:
    """The command that runs the queue's tasks for this backend (None: tasks run inline)."""
    manage = [sys.executable, "manage.py"]
    if backend == "immediate":
        return None
    if backend == "rq":
        return [*manage, "rqworker", queue, "--with-scheduler", "--job-class", RQ_JOB]
    return [*manage, "db_worker", "--no-reload", "--no-startup-delay", "--queue-name", queue]


def main(argv: list[str]) -> int:
    read_development_env(ROOT / ".env")
    address = argv[0] if argv else "127.0.0.1:8000"
    commands = {"server": [sys.executable, "manage.py", "runserver", address]}
    backend = os.environ.get("TASKS_BACKEND", "database")
    for name, queue in WORKERS.items():
        worker = worker_command(backend, queue)
        if worker is not None:
            commands[name] = worker
    children = {name: _start(command) for name, command in commands.items()}
    stopping = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.append(True))
    started = " and the task workers (default, imports)." if worker else "; tasks run inline."
    _print("Started the server" + started)
    exited = _wait_for_any(children, stopping)
    _stop_all(children)
    if exited is not None and not stopping:
        _print(f"The {exited} stopped (exit code {children[exited].returncode}).")
        return children[exited].returncode or 1
    return 0


def _start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, start_new_session=True)  # noqa: S603


def _wait_for_any(children: dict, stopping: list) -> str | None:
    while not stopping:
        for name, process in children.items():
            if process.poll() is not None:
                return name
        time.sleep(0.2)
    return None


def _stop_all(children: dict) -> None:
    _print("Stopping the " + " and the ".join(children) + "…")
    for process in children.values():
        # The server's autoreloader has a child of its own; the group reaches both. SIGTERM, not
        # SIGINT, since a shell that started this in the background made its children ignore SIGINT.
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_SECONDS
    for process in children.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()
    _print("Stopped.")


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def _print(message: str) -> None:
    print(message, flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
