"""The shipped nginx keeps one address from taking the site from everyone else.

Per client address it allows 50 requests in progress and 20 a second (bursts of 100; 50 a
second on /api/), answers 429 beyond, and drops clients that are slow to send their request.
On /api/ every error nginx answers itself (413, 429, 502, 503, 504) is a problem in
application/problem+json, as the app's own errors are. Real nginx with deploy/nginx.conf in
front of the live server; every client is on this machine, each at its own loopback address
(127.0.0.1 itself is never limited: it is where a proxy in front of nginx would come from).
"""

import contextlib
import http.client
import json
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.nginx import DEPLOY_CONF, nginx_in_front_of
from tests.system_tools import free_port

FLOOD, READER = "127.0.0.2", "127.0.0.3"
IDLE_CONNECTIONS = 1_100


def get(port, path, source=READER, **headers):
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=10, source_address=(source, 0)
    )
    try:
        connection.request("GET", path, headers={"Host": "localhost", **headers})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def idle_connections(port, count, source=FLOOD):
    """count connections from source that send nothing; closed on leaving."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.create_connection(
                ("127.0.0.1", port), timeout=5, source_address=(source, 0)
            )
            sockets.append(sock)
        yield sockets
    finally:
        for sock in sockets:
            sock.close()


def closed_by_server(sock, within) -> bool:
    sock.settimeout(within)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except OSError:
        return True


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_1100_idle_connections_from_one_address_leave_other_readers_served(live_server):
    """One client opens 1,100 connections and sends nothing: another reader's page and API
    answer come back at once, and nginx drops the idle ones after its 10 s header timeout."""
    with (
        nginx_in_front_of(live_server.url) as port,
        idle_connections(port, IDLE_CONNECTIONS) as idle,
    ):
        started = time.monotonic()
        page = get(port, "/robots.txt")
        api = get(port, "/api/v1/conditions/")
        served_in = time.monotonic() - started

        assert page[0] == 200
        assert api[0] == 401  # the API's own answer to a missing key: the app was reached
        assert served_in < 5, f"the reader waited {served_in:.1f} s"
        assert closed_by_server(idle[0], within=14)
        assert closed_by_server(idle[-1], within=2)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_requests_beyond_the_rate_of_one_address_get_429_while_others_are_served(live_server):
    """Past its burst of 100, an address making hundreds of requests a second gets 429;
    another address is served."""
    with nginx_in_front_of(live_server.url) as port:
        connection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=10, source_address=(FLOOD, 0)
        )
        statuses = []
        for _ in range(300):  # the key set, kept by nginx: hundreds a second
            connection.request(
                "GET", "/.well-known/tovani-keys.json", headers={"Host": "localhost"}
            )
            response = connection.getresponse()
            response.read()
            statuses.append(response.status)
        connection.close()
        flood_again = get(port, "/robots.txt", source=FLOOD)[0]
        other_reader = get(port, "/robots.txt")[0]

    assert 100 <= statuses.count(200) < 300
    assert set(statuses) == {200, 429}
    assert (flood_again, other_reader) == (429, 200)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_more_than_50_requests_in_progress_from_one_address_are_refused(live_server):
    """Requests whose bodies never arrive hold their place: the 51st from that address gets
    429 (a problem on /api/), another address is served, and nginx ends the slow ones after
    its body timeout."""
    with nginx_in_front_of(live_server.url) as port:

        def slow_post(_):
            sock = socket.create_connection(
                ("127.0.0.1", port), timeout=20, source_address=(FLOOD, 0)
            )
            sock.sendall(
                b"POST /admin/login/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
            )
            return sock

        with ThreadPoolExecutor(10) as pool:
            slow = list(pool.map(slow_post, range(50)))
        try:
            time.sleep(0.5)
            page = get(port, "/robots.txt", source=FLOOD)
            status, content_type, body = get(port, "/api/v1/conditions/", source=FLOOD)
            other_reader = get(port, "/robots.txt")
            assert closed_by_server(slow[0], within=14)
        finally:
            for sock in slow:
                sock.close()

    assert (page[0], other_reader[0]) == (429, 200)
    assert (status, content_type) == (429, "application/problem+json")
    problem = json.loads(body)
    assert (problem["status"], problem["code"]) == (429, "throttled")
    assert problem["type"] == "http://localhost/api/problems/throttled/"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_body_too_large_for_the_api_is_a_413_problem(live_server):
    """nginx refuses a 2 MB body on /api/ before reading it, in the API's problem shape."""
    with nginx_in_front_of(live_server.url) as port:
        sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(READER, 0))
        with sock:
            sock.sendall(
                b"POST /api/v1/conditions/ HTTP/1.1\r\nHost: localhost\r\n"
                b"Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n"
            )
            response = http.client.HTTPResponse(sock)
            response.begin()
            body = response.read()
        assert response.status == 413
        assert response.getheader("Content-Type") == "application/problem+json"
        assert json.loads(body)["status"] == 413


def test_an_app_that_is_down_is_a_502_problem_on_the_api_and_nginx_page_elsewhere(db):
    """No app behind nginx: the API answers a problem with Retry-After; pages stay HTML."""
    with nginx_in_front_of(f"http://127.0.0.1:{free_port()}") as port:
        status, content_type, body = get(port, "/api/v1/conditions/")
        page_status, page_type, _ = get(port, "/conditions/")

    assert (status, content_type) == (502, "application/problem+json")
    assert json.loads(body)["code"] == "service_unavailable"
    assert (page_status, page_type) == (502, "text/html")


def test_every_problem_nginx_answers_itself_is_valid_json_with_its_status():
    """Each named location's body, with nginx's variables filled in, parses as a problem."""
    deploy = DEPLOY_CONF.read_text()
    problems = {
        int(status): json.loads(body.replace("$scheme", "https").replace("$host", "x.example"))
        for status, body in re.findall(r"return (\d{3}) '(\{.*\})\\n';", deploy)
    }
    assert sorted(problems) == [413, 429, 502, 503, 504]
    for status, problem in problems.items():
        assert problem["status"] == status
        assert {"type", "title", "detail", "code"} <= set(problem)
    for status in (413, 429, 502, 503, 504):
        assert re.search(rf"error_page {status} @api_\w+;", deploy)
