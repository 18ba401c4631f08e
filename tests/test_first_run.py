"""A new user's first run, as the README tells it, on a fresh clone in a clean shell.

`make run` installs what serving needs (requirements.txt, no test tools), writes a git-ignored
`.env`, serves the demo with a task worker beside the server and stops both on Ctrl-C. Afterwards
`.venv/bin/python manage.py …` works in a new shell with nothing exported. Each log line appears
once, with its time and level, and no banner is printed. The clone installs from the same pip
cache a developer's machine has, so this costs about half a minute, not a download.
"""

import os
import re
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.mail_servers import free_port
from tests.processes import ROOT, manage, process_alive, shell_env, wait_for_http, wait_until
from tovani.env import read_development_env

GIT = shutil.which("git")
MAKE = shutil.which("make")


@dataclass
class FirstRun:
    clone: Path
    port: int
    output: str
    exit_seconds: float
    processes_left: list[int]


def processes_in(folder: Path) -> list[int]:
    """Processes whose working directory is inside folder (the clone's server and worker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = (entry / "cwd").resolve()
        except OSError:
            continue
        if (cwd == folder or folder in cwd.parents) and process_alive(int(entry.name)):
            found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    clone = tmp_path_factory.mktemp("first-run").resolve() / "tovani"
    subprocess.run([GIT, "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=60)
    port = free_port()
    log = clone.parent / "make-run.log"
    with log.open("w") as output:
        make = subprocess.Popen(
            [MAKE, "run", f"PORT={port}"],
            cwd=clone,
            env=shell_env(),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own terminal group, so Ctrl-C can be sent to it
        )
        try:
            base = f"http://127.0.0.1:{port}"
            assert wait_for_http(f"{base}/conditions/", seconds=600) == 200, log.read_text()
            assert wait_for_http(f"{base}/no-such-page/", seconds=10) == 404
            time.sleep(1)  # the server's access log line
        finally:
            started = time.monotonic()
            os.killpg(make.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
            make.wait(timeout=60)
            exit_seconds = time.monotonic() - started
    left = processes_in(clone)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return FirstRun(clone, port, log.read_text(), exit_seconds, left)


def in_new_shell(first_run, *args):
    """A project command in a shell that exports nothing of the project's."""
    return manage(*args, env=shell_env(), cwd=first_run.clone, python=".venv/bin/python")


def test_make_run_serves_the_demo_and_prints_every_login_including_the_administrator(first_run):
    for login in ("editor / ", "ben.soffer / ", "publisher / ", "admin / "):
        assert f"demo login: {login}" in first_run.output
    assert "Started the server and the task workers (default, imports)." in first_run.output


def test_ctrl_c_stops_the_server_and_the_worker(first_run):
    """Within two seconds, everything the clone started is gone."""
    assert "Stopping the server and the worker" in first_run.output
    assert "Stopped." in first_run.output
    assert first_run.processes_left == []
    assert first_run.exit_seconds < 2


def test_after_make_run_a_project_command_works_in_a_new_shell(first_run):
    """The command `make run` suggests, with nothing exported: the secret comes from .env."""
    result = in_new_shell(first_run, "create_partner_key", "acme")
    assert result.returncode == 0, result.stderr
    assert "Key for acme" in result.stderr
    assert re.fullmatch(r"tvk_[\w-]+\n", result.stdout)


def test_the_project_commands_are_listed_in_a_new_shell(first_run):
    result = in_new_shell(first_run, "help")
    assert result.returncode == 0, result.stderr
    for command in ("load_demo", "reset_demo", "create_partner_key", "db_worker"):
        assert command in result.stdout


def test_the_serving_environment_has_no_test_tools(first_run):
    python = first_run.clone / ".venv" / "bin" / "python"
    for module in ("pytest", "playwright", "schemathesis"):
        found = subprocess.run([python, "-c", f"import {module}"], capture_output=True)
        assert found.returncode != 0, f"{module} is installed for serving"


def test_make_run_leaves_the_clone_clean_for_git(first_run):
    """.env, the database and the virtualenv are all ignored."""
    assert (first_run.clone / ".env").is_file()
    status = subprocess.run(
        [GIT, "status", "--porcelain"], cwd=first_run.clone, capture_output=True, text=True
    )
    assert status.stdout == ""


def test_each_log_line_appears_once_with_time_and_level_and_no_banner(first_run):
    requests = [line for line in first_run.output.splitlines() if "GET /conditions/ " in line]
    assert len(requests) == 1, requests
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} INFO django\.server: ", requests[0])
    not_found = [line for line in first_run.output.splitlines() if "Not Found:" in line]
    assert len(not_found) == 1, not_found
    assert re.search(r"WARNING django\.request \[GET /no-such-page/ id=\w+\]", not_found[0])
    assert "AXES" not in first_run.output


def test_make_demo_reset_recreates_the_demo_database(first_run):
    """A partner added after the first run is gone after the reset; the demo page is back."""
    in_new_shell(first_run, "create_partner_key", "before-reset")
    reset = subprocess.run(
        [MAKE, "demo-reset"], cwd=first_run.clone, env=shell_env(), capture_output=True, text=True
    )
    assert reset.returncode == 0, reset.stderr
    assert "was recreated" in reset.stdout
    count = in_new_shell(
        first_run,
        "shell",
        "-c",
        "from partners.models import Partner; from reviews.models import Publication; "
        "from conditions.models import Condition; "
        "print(Partner.objects.count(), Publication.objects.live_of(Condition).count())",
    )
    assert count.stdout.splitlines()[-1] == "0 1", count.stderr


def test_when_the_worker_dies_the_server_is_stopped_too(first_run):
    """Serving without a worker would queue e-mail that nobody sends: both go, loudly."""
    port = free_port()
    server = subprocess.Popen(
        [".venv/bin/python", "-m", "tovani.dev_server", f"127.0.0.1:{port}"],
        cwd=first_run.clone,
        env=shell_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/conditions/", seconds=60)
        assert wait_until(lambda: len(processes_in(first_run.clone)) >= 3, seconds=30)
        worker = next(
            pid
            for pid in processes_in(first_run.clone)
            if b"db_worker" in Path(f"/proc/{pid}/cmdline").read_bytes()
        )
        os.kill(worker, signal.SIGKILL)
        assert server.wait(timeout=30) != 0
    finally:
        if server.poll() is None:
            server.kill()
    assert "worker stopped" in server.stdout.read()
    assert wait_until(lambda: processes_in(first_run.clone) == [], seconds=15)


@pytest.fixture
def environ(monkeypatch):
    """A process environment of the test's own, so nothing leaks into the suite's."""
    variables = {}
    monkeypatch.setattr(os, "environ", variables)
    return variables


def project_variables(environ):
    return {name: value for name, value in environ.items() if name != "PYTEST_CURRENT_TEST"}


def write_env_file(folder, text):
    path = folder / ".env"
    path.write_text(text)
    return path


def test_production_settings_never_read_the_development_env_file(tmp_path, environ):
    """With SECRET_KEY in the environment the file is ignored, DEBUG=1 and all."""
    env_file = write_env_file(tmp_path, "SECRET_KEY=from-the-file\nDEBUG=1\nDATABASE_URL=x\n")
    environ["SECRET_KEY"] = "from-the-deployment"
    assert read_development_env(env_file) is False
    assert project_variables(environ) == {"SECRET_KEY": "from-the-deployment"}


def test_the_development_env_file_fills_in_what_the_environment_leaves_unset(tmp_path, environ):
    env_file = write_env_file(
        tmp_path, "# made by make run\nSECRET_KEY=from-the-file\nDEBUG=1\nPORT_HINT='x'\n"
    )
    environ["PORT_HINT"] = "from-the-shell"
    assert read_development_env(env_file) is True
    assert project_variables(environ) == {
        "SECRET_KEY": "from-the-file",
        "DEBUG": "1",
        "PORT_HINT": "from-the-shell",
    }


def test_a_file_that_does_not_turn_debug_on_is_not_read(tmp_path, environ):
    env_file = write_env_file(tmp_path, "SECRET_KEY=from-the-file\n")
    assert read_development_env(env_file) is False
    assert project_variables(environ) == {}


def test_debug_turned_off_in_the_environment_keeps_the_file_out(tmp_path, environ):
    env_file = write_env_file(tmp_path, "SECRET_KEY=from-the-file\nDEBUG=1\n")
    environ["DEBUG"] = "0"
    assert read_development_env(env_file) is False
    assert project_variables(environ) == {"DEBUG": "0"}


def test_a_malformed_env_file_line_is_named(tmp_path, environ):
    from django.core.exceptions import ImproperlyConfigured

    env_file = write_env_file(tmp_path, "DEBUG=1\nthis is not a setting\n")
    with pytest.raises(ImproperlyConfigured, match=r"\.env, line 2: expected NAME=value"):
        read_development_env(env_file)


def test_reset_demo_refuses_to_run_without_debug():
    env = shell_env(
        SECRET_KEY="x" * 50,
        SITE_URL="https://library.example",
        DEBUG="0",
        SIGNING_KEY=os.environ["SIGNING_KEY"],
    )
    result = manage("reset_demo", "--yes", env=env)
    assert result.returncode != 0
    assert "runs only with DEBUG on" in result.stderr
