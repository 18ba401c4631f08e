"""Log lines: one per event, with time and level; a request's lines name its path and id.

The id is the proxy's X-Request-ID when it sends a sensible one, else a new one, and the response
carries it back so a user's report can be matched to the log.
"""

import io
import logging
import re

import pytest
from django.conf import settings as project_settings
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from tovani.request_context import RequestFilter


def failing_view(request):
    raise RuntimeError("the view broke")


def logging_view(request):
    logging.getLogger("tovani.example").warning("something odd")
    return HttpResponse("ok")


urlpatterns = [path("broken/", failing_view), path("odd/", logging_view)]


@pytest.fixture
def own_urls(settings):
    settings.ROOT_URLCONF = __name__


def formatted(record):
    """A record as the project's console handler writes it."""
    line = project_settings.LOGGING["formatters"]["line"]
    RequestFilter().filter(record)
    return logging.Formatter(line["format"], line["datefmt"]).format(record)


@pytest.fixture
def console():
    """What the project's console handler writes, read from a buffer instead of stderr."""
    [handler] = [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RequestFilter) for f in handler.filters)
    ]
    buffer = io.StringIO()
    original = handler.setStream(buffer)
    yield buffer
    handler.setStream(original)


def console_lines(console, name):
    return [line for line in console.getvalue().splitlines() if f" {name}" in line]


def test_a_request_error_is_logged_once_with_the_path_and_the_request_id(own_urls, console, db):
    client = Client(raise_request_exception=False)
    response = client.get("/broken/", headers={"x-request-id": "edge-7f3a"})
    assert response.status_code == 500
    assert response["X-Request-ID"] == "edge-7f3a"
    output = console.getvalue()
    [line] = console_lines(console, "django.request")
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} ERROR django\.request "
        r"\[GET /broken/ id=edge-7f3a\]: Internal Server Error: /broken/",
        line,
    )
    assert output.count("RuntimeError: the view broke") == 1


def test_a_line_logged_by_the_application_during_a_request_names_the_request(
    own_urls, console, client
):
    response = client.get("/odd/")
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{16}", request_id)
    [line] = console_lines(console, "tovani.example")
    assert line.endswith(f" WARNING tovani.example [GET /odd/ id={request_id}]: something odd")


def test_an_unusable_request_id_from_outside_is_replaced(own_urls, client):
    response = client.get("/odd/", headers={"x-request-id": "bad id\nwith a newline"})
    assert re.fullmatch(r"[0-9a-f]{16}", response["X-Request-ID"])


def test_a_line_logged_outside_a_request_has_no_request_part():
    record = logging.LogRecord("tovani.tasks", logging.INFO, __file__, 1, "queued", (), None)
    assert formatted(record).endswith(" INFO tovani.tasks: queued")


def test_django_and_its_server_log_through_the_one_console_handler():
    """Django's own handlers are replaced, so no line is printed twice."""
    loggers = project_settings.LOGGING["loggers"]
    assert loggers["django"]["handlers"] == []
    assert loggers["django.server"]["handlers"] == []
    assert project_settings.LOGGING["root"]["handlers"] == ["console"]


def test_django_axes_logs_only_failed_sign_ins_and_lockouts_not_its_banner():
    assert project_settings.LOGGING["loggers"]["axes"]["level"] == "WARNING"
