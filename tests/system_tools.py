"""Programs some tests run (nginx, redis-server): found, or the test stops saying what to install.

In CI (CI=true; `.ci/run` installs them) a missing program fails the test, so a broken set-up
cannot pass as a skipped test. On a developer's machine the test is skipped with the reason.
"""

import os
import shutil
import socket
from pathlib import Path

import pytest


def require(program: str, package: str, *, also: tuple[str, ...] = ()) -> str:
    """The path of program (looked up on PATH, then in also), or fail/skip naming the package."""
    found = shutil.which(program) or next((path for path in also if Path(path).exists()), None)
    if found:
        return found
    reason = f"{program} is not installed (Debian package {package})"
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason}; CI must install it.", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process, seconds: float = 10) -> None:
    """Return once something accepts connections on port; fail if process dies first."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")
