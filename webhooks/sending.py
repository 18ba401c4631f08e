"""One delivery attempt: sign with Standard Webhooks, POST to the checked address, no redirects."""

import http.client
import json
import socket
import ssl
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from standardwebhooks import Webhook

from webhooks.addresses import check_url
from webhooks.errors import EndpointRefused
from webhooks.times import moment

# After each failed attempt, the wait before the next: the Standard Webhooks schedule, about
# 28 hours in all, so an endpoint down for a day still receives the event.
RETRY_SCHEDULE = [
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an address already checked, verifying the certificate for the URL's host."""

    def __init__(self, address, host, port, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def signed_headers(delivery, body: str) -> dict:
    now = timezone.now()
    signature = Webhook(delivery.endpoint.secret).sign(delivery.event_id, now, body)
    return {
        "Content-Type": "application/json",
        "User-Agent": f"{settings.SITE_NAME} webhooks",
        "webhook-id": delivery.event_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


def body_of(delivery) -> str:
    return json.dumps(
        {
            "type": delivery.event_type,
            "timestamp": moment(delivery.created_at),
            "data": delivery.payload,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def post(delivery) -> int:
    """Send the delivery once; its HTTP status, or EndpointRefused / OSError on failure."""
    scheme, host, port, address = check_url(delivery.endpoint.url)
    body = body_of(delivery)
    timeout = settings.WEBHOOK_TIMEOUT
    if scheme == "https":
        connection = _PinnedHTTPSConnection(address, host, port, timeout)
    else:
        connection = http.client.HTTPConnection(address, port, timeout=timeout)
    parts = urlsplit(delivery.endpoint.url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {**signed_headers(delivery, body), "Host": parts.netloc}
    try:
        connection.request("POST", path, body=body.encode("utf-8"), headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)
        return response.status  # a redirect is a failure: it is never followed
    finally:
        connection.close()


__all__ = ["RETRY_SCHEDULE", "EndpointRefused", "post"]
