"""The client's address: one notion (TRUSTED_PROXY_COUNT) for login lockouts and API throttles.

With no proxy the socket's address is the client and X-Forwarded-For is ignored, so a forged
header changes nothing. Behind N proxies the N-th X-Forwarded-For entry from the right (written
by our outermost proxy) is the client, so a guessing client locks out only itself, never the
person whose name it guesses for. The last test runs the shipped deploy/nginx.conf in front of
the live server.
"""

import http.client
import re
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.test import RequestFactory

from partners.accounts import create_partner
from tests.conftest import PASSWORD, make_user
from tests.nginx import nginx_in_front_of
from tovani.client_address import client_address

LOGIN = "/admin/login/"
API = "/api/v1/conditions/"
WITH_AXES = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PROXY = "127.0.0.1"
DOCTOR, ATTACKER = "198.51.100.7", "203.0.113.66"


@pytest.fixture
def lockouts(settings):
    settings.AUTHENTICATION_BACKENDS = WITH_AXES
    settings.AXES_FAILURE_LIMIT = 3


def address(settings, proxies, remote, forwarded=None):
    settings.TRUSTED_PROXY_COUNT = proxies
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **extra))


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "192.0.2.1", None, "192.0.2.1"),
        (0, "192.0.2.1", "198.51.100.7", "192.0.2.1"),
        (1, PROXY, "198.51.100.7", "198.51.100.7"),
        (1, PROXY, "10.9.9.9, 198.51.100.7", "198.51.100.7"),
        (2, PROXY, "10.9.9.9, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, PROXY, None, PROXY),
        (2, PROXY, "198.51.100.7", PROXY),
        (1, PROXY, "10.9.9.9, not-an-address", PROXY),
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
    ],
    ids=[
        "socket",
        "no-proxy-ignores-the-header",
        "one-proxy",
        "client-written-entries-ignored",
        "two-proxies",
        "header-missing-behind-a-proxy",
        "fewer-entries-than-proxies",
        "garbage-entry",
        "ipv6",
    ],
)
def test_the_client_is_the_socket_or_the_entry_our_outermost_proxy_wrote(
    settings, proxies, remote, forwarded, expected
):
    assert address(settings, proxies, remote, forwarded) == expected


def sign_in(client, username, password, forwarded):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_one_proxy_a_guessing_client_locks_out_only_itself(
    client, physician_user, lockouts, settings
):
    """Wrong passwords for the physician from elsewhere, even naming the physician's address in
    a forged header, lock that client out; the physician still signs in."""
    settings.TRUSTED_PROXY_COUNT = 1
    # nginx appends the address it saw to whatever the client sent.
    forged = f"{DOCTOR}, {ATTACKER}"
    answers = [sign_in(client, "dr.house", "guess", forged).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert sign_in(client, "dr.house", PASSWORD, forged).status_code == 429

    assert sign_in(client, "dr.house", PASSWORD, DOCTOR).status_code == 302


def test_with_no_proxy_a_forged_header_does_not_dodge_the_lockout(
    client, physician_user, lockouts, settings
):
    settings.TRUSTED_PROXY_COUNT = 0
    answers = [sign_in(client, "dr.house", "guess", f"192.0.2.{n}").status_code for n in range(3)]
    assert answers == [200, 200, 429]
    assert sign_in(client, "dr.house", PASSWORD, "192.0.2.99").status_code == 429


def api_get(client, key, forwarded):
    return client.get(
        API, headers={"x-api-key": key}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded
    )


def test_behind_one_proxy_the_key_guessing_throttle_holds_only_the_guesser(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.API_FAILED_KEY_LIMIT = 2
    _, key = create_partner("Acme")
    guesses = [api_get(client, "tvk_wrong", f"{DOCTOR}, {ATTACKER}") for _ in range(3)]
    assert [response.status_code for response in guesses] == [401, 401, 429]

    assert api_get(client, "tvk_wrong", DOCTOR).status_code == 401
    assert api_get(client, key, DOCTOR).status_code == 200
    assert api_get(client, key, ATTACKER).status_code == 200


def test_with_no_proxy_rotating_a_forged_header_does_not_dodge_the_throttle(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.API_FAILED_KEY_LIMIT = 2
    answers = [api_get(client, "tvk_wrong", f"192.0.2.{n}").status_code for n in range(4)]
    assert answers == [401, 401, 429, 429]


class Visitor:
    """A browser-like HTTP client connecting from one loopback address, keeping cookies."""

    def __init__(self, port, source):
        self.port, self.source, self.cookies = port, source, SimpleCookie()

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0)
        )
        headers = {"Host": "localhost"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urlencode(body)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return response.status, text

    def sign_in(self, username, password):
        _, form = self.request("GET", LOGIN)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        fields = {"csrfmiddlewaretoken": token, "username": username, "password": password}
        return self.request("POST", LOGIN, {**fields, "next": "/admin/"})[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_through_the_shipped_nginx_one_client_cannot_lock_out_another(live_server, settings):
    """Real nginx with deploy/nginx.conf: a guesser at 127.0.0.2 locks itself out; the
    physician, at 127.0.0.3, signs in. With TRUSTED_PROXY_COUNT=0 every visitor would be
    nginx's own address, and the physician would be locked out too."""
    settings.AUTHENTICATION_BACKENDS = WITH_AXES
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("dr.house", "Physicians")
    with nginx_in_front_of(live_server.url) as port:
        guesser, physician = Visitor(port, "127.0.0.2"), Visitor(port, "127.0.0.3")
        answers = [guesser.sign_in("dr.house", "guess") for _ in range(3)]
        assert answers == [200, 200, 429]
        assert guesser.sign_in("dr.house", PASSWORD) == 429

        assert physician.sign_in("dr.house", PASSWORD) == 302
