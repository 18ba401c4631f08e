"""A redis-server of the test's own on a free port, so no test touches a Redis others use;
RedisServer is one a test can also hang and kill."""

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time

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


class RedisServer:
    def __init__(self, tmp_path):
        binary = require("redis-server", "redis-server")
        self.binary, self.dir, self.port, self.process = binary, tmp_path, free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.dir)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def hang(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self):
        os.kill(self.process.pid, signal.SIGCONT)

    def kill(self):
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGCONT)
            self.process.kill()
            self.process.wait()

    def keys(self, pattern="*") -> list[bytes]:
        import redis

        return redis.Redis(port=self.port, socket_timeout=1).keys(pattern)


def point_at_a_dead_redis(settings, tmp_path):
    """Make the shared cache a Redis that was started and killed: every call fails fast."""
    from tovani import shared_cache

    server = RedisServer(tmp_path).start()
    server.kill()
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    }
    shared_cache.forget()
