"""Real SMTP servers on 127.0.0.1 for the tests of e-mail: one that delivers, one that hangs.

A refused connection needs no server: a free port with nothing listening refuses it.
"""

import contextlib
import socket
import threading

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "text": envelope.content.decode("utf-8", "replace"),
            }
        )
        self.arrived.set()
        return "250 Message accepted for delivery"


@contextlib.contextmanager
def smtp_server():
    """An SMTP server that accepts every message; yields (port, inbox)."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


@contextlib.contextmanager
def hanging_smtp_server():
    """A server that accepts connections and never says a word, like a mail host in trouble."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held = []

    def accept():
        with contextlib.suppress(OSError):
            while True:
                held.append(listener.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        for connection in held:
            connection.close()
