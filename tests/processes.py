"""Running the project's commands as separate processes, as an operator's shell would."""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a fresh login shell has; nothing of the suite's own settings.
SHELL_VARIABLES = {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PIP_CACHE_DIR"}


def shell_env(**variables) -> dict:
    clean = {k: v for k, v in os.environ.items() if k in SHELL_VARIABLES}
    return {**clean, **variables}


def manage(*args, env, cwd=ROOT, python=sys.executable, timeout=180):
    return subprocess.run(
        [str(python), "manage.py", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def wait_for_http(url: str, seconds: float) -> int:
    """The status of the first answer from url within the time, or fail."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"Nothing answered at {url} within {seconds} s.")


def wait_until(condition, seconds: float, interval=0.2) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that exited but was not reaped yet is no longer running.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ", 1)[1].startswith("Z"))
