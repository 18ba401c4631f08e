"""Which webhook addresses the site calls: no server-side request forgery.

In production only https:// addresses whose host resolves to public addresses. With
WEBHOOK_ALLOW_LOOPBACK (on with DEBUG, and in the tests) http:// and https:// to the loopback
interface are allowed too. The check runs when an endpoint is saved and again at every delivery,
which then connects to the very address it checked, so a name that resolves differently later
(DNS rebinding) cannot point a delivery inside the network.

IPv6 addresses that carry an IPv4 address inside them (IPv4-mapped and -compatible, NAT64,
6to4, Teredo) are refused whatever they embed: Python calls ``::127.0.0.1`` and
``64:ff9b::a00:1`` global, yet a host with NAT64 or an IPv4 stack delivers them to the IPv4
address inside, loopback and private networks included.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from webhooks.errors import EndpointRefused

EMBEDDING_IPV4 = {
    ipaddress.ip_network("::/96"): "IPv4-compatible",
    ipaddress.ip_network("::ffff:0:0/96"): "IPv4-mapped",
    ipaddress.ip_network("64:ff9b::/96"): "NAT64",
    ipaddress.ip_network("64:ff9b:1::/48"): "local NAT64",
    ipaddress.ip_network("2002::/16"): "6to4",
    ipaddress.ip_network("2001::/32"): "Teredo",
}


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
        _refuse_embedded_ipv4(parts.hostname, ip)
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


def _refuse_embedded_ipv4(host, ip) -> None:
    for network, kind in EMBEDDING_IPV4.items():
        # ::1 (loopback) and :: (unspecified) sit inside ::/96 but embed nothing.
        if ip in network and ip.version == 6 and int(ip) > 1:
            raise EndpointRefused(
                f"{host} resolves to {ip.compressed}, a {kind} IPv6 address with an IPv4 "
                "address inside: webhooks go only to public addresses."
            )


def resolve(host, port) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise EndpointRefused(f"{host} does not resolve ({error.strerror}).") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def _all_loopback(addresses) -> bool:
    return all(ipaddress.ip_address(a).is_loopback for a in addresses)
