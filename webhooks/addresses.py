"""Which webhook addresses the site calls: no server-side request forgery.

In production only https:// addresses whose host resolves to public addresses. With
WEBHOOK_ALLOW_LOOPBACK (on with DEBUG, and in the tests) http:// and https:// to the loopback
interface are allowed too. The check runs when an endpoint is saved and again at every delivery,
which then connects to the very address it checked, so a name that resolves differently later
(DNS rebinding) cannot point a delivery inside the network.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from webhooks.errors import EndpointRefused


def check_url(url) -> tuple[str, str, int, str]:
    """(scheme, host, port, the address to connect to), or EndpointRefused saying why."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise EndpointRefused(f"{url} is not an http(s) address.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(parts.hostname, port)
    loopback_ok = settings.WEBHOOK_ALLOW_LOOPBACK
    for address in addresses:
        ip = ipaddress.ip_address(address)
        if ip.is_loopback and loopback_ok:
            continue
        if not ip.is_global:
            raise EndpointRefused(
                f"{parts.hostname} resolves to {address}, an address inside a network: "
                "webhooks go only to public addresses."
            )
    if parts.scheme != "https" and not (loopback_ok and _all_loopback(addresses)):
        raise EndpointRefused(f"{url}: webhook endpoints must use https://.")
    return parts.scheme, parts.hostname, port, addresses[0]


def resolve(host, port) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise EndpointRefused(f"{host} does not resolve ({error.strerror}).") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def _all_loopback(addresses) -> bool:
    return all(ipaddress.ip_address(a).is_loopback for a in addresses)
