"""A fake edge cache or CDN API on 127.0.0.1: records each request, answers as told."""

import contextlib
import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict  # names in lower case
    body: bytes

    def json(self):
        return json.loads(self.body)


class FakeEdge:
    def __init__(self):
        self.received: list[Received] = []
        # (status, body) for the next requests, in order; then `otherwise`.
        self.answers: list[tuple[int, str]] = []
        self.otherwise = (200, '{"success": true}')
        # Seconds to wait before answering, as a slow cache or API would.
        self.delay = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def _answer(self, handler):
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        self.received.append(
            Received(
                handler.command,
                handler.path,
                {k.lower(): v for k, v in handler.headers.items()},
                body,
            )
        )
        status, text = self.answers.pop(0) if self.answers else self.otherwise
        time.sleep(self.delay)
        payload = text.encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)


@contextlib.contextmanager
def fake_edge():
    edge = FakeEdge()

    class Handler(BaseHTTPRequestHandler):
        def do_PURGE(self):  # noqa: N802 - http.server's naming
            edge._answer(self)

        do_POST = do_PURGE  # noqa: N815

        def log_message(self, *args):
            pass

    edge.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=edge.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield edge
    finally:
        edge.server.shutdown()
        edge.server.server_close()
