"""The webhook address filter refuses IPv6 addresses that carry an IPv4 address inside them.

Python's ipaddress calls ``::127.0.0.1`` or ``64:ff9b::a00:1`` global, yet a host with NAT64, a
6to4 relay or an IPv4 stack behind its IPv6 one reaches the IPv4 address inside: loopback, the
private network or the cloud's metadata service. Each form is refused when an endpoint is saved
and at every delivery, whatever it embeds, in production and in development alike.
"""

import pytest

from webhooks.addresses import check_url
from webhooks.errors import EndpointRefused

EMBEDDING = [
    ("::127.0.0.1", "IPv4-compatible"),
    ("::10.0.0.7", "IPv4-compatible"),
    ("::ffff:127.0.0.1", "IPv4-mapped"),
    ("::ffff:169.254.169.254", "IPv4-mapped"),
    ("64:ff9b::7f00:1", "NAT64"),
    ("64:ff9b::a00:7", "NAT64"),
    ("64:ff9b:1::a00:7", "local NAT64"),
    ("2002:7f00:1::1", "6to4"),
    ("2002:a00:7::1", "6to4"),
    ("2001:0:4136:e378:8000:63bf:f5ff:fff7", "Teredo"),
]


@pytest.mark.parametrize("loopback_allowed", [False, True], ids=["production", "development"])
@pytest.mark.parametrize(("address", "kind"), EMBEDDING)
def test_an_ipv6_address_embedding_an_ipv4_one_is_refused(
    address, kind, loopback_allowed, settings
):
    """Every IPv6 form with an IPv4 address inside is refused, naming the form."""
    settings.WEBHOOK_ALLOW_LOOPBACK = loopback_allowed
    with pytest.raises(EndpointRefused, match=f"a {kind} IPv6 address with an IPv4 address inside"):
        check_url(f"https://[{address}]/hooks")


@pytest.mark.parametrize("address", ["::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"])
def test_an_embedded_public_ipv4_address_is_refused_too(address, settings):
    """The forms are refused whatever they embed: nothing legitimate needs them."""
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    with pytest.raises(EndpointRefused, match="IPv4 address inside"):
        check_url(f"https://[{address}]/hooks")


def test_a_plain_global_ipv6_address_is_still_called(settings):
    """An ordinary public IPv6 address passes the filter."""
    settings.WEBHOOK_ALLOW_LOOPBACK = False
    assert check_url("https://[2606:4700::6810:84e5]/hooks")[3] == "2606:4700::6810:84e5"


def test_ipv6_loopback_stays_allowed_in_development(settings):
    """``::1`` sits inside ``::/96`` but embeds nothing; development may still call it."""
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    assert check_url("http://[::1]:8080/hooks")[3] == "::1"
