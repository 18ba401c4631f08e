"""The one notion of the client's address, for login lockouts and API throttles alike.

With TRUSTED_PROXY_COUNT = 0 (the default) the client is the socket's peer, and
X-Forwarded-For is ignored: anyone can write that header. Behind N proxies that each append the
address they received the request from (nginx's ``$proxy_add_x_forwarded_for``), the N-th entry
from the right was written by our outermost proxy, so it is the client; entries further left
came from the client itself and are never believed.
"""

import ipaddress

from django.conf import settings

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def client_address(request) -> str:
    """The address lockouts and throttles count against; takes a Django or DRF request."""
    socket_address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return socket_address
    forwarded = [part.strip() for part in request.META.get(FORWARDED_FOR, "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        # The request did not pass through every proxy we trust: only the socket is known.
        return socket_address
    return _valid(forwarded[-proxies]) or socket_address


def _valid(address: str) -> str:
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""
