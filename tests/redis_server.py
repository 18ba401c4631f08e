"""A redis-server of the test's own on a free port, so no test touches a Redis others use."""

import contextlib
import subprocess
import tempfile

from tests.system_tools import free_port, require, wait_for_port


@contextlib.contextmanager
def redis_server():
    """A fresh, empty Redis without persistence; yields its URL, and stops it afterwards.

    Without redis-server installed the test is skipped, or fails in CI (CI=true).
    """
    binary = require("redis-server", "redis-server")
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="tovani-redis-") as work:
        process = subprocess.Popen(
            [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", work],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(port, process)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.kill()
            process.wait(timeout=10)
