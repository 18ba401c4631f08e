"""What a visitor or partner gets when the database is out of reach: 503 with Retry-After.

Connection failures only: a refused or lost connection (SQLSTATE class 08, or none at all), and
a server that ended the connection or is starting or stopping (57P01–57P03, as when PostgreSQL
is restarted or a backend is terminated mid-request). Any other database error is a bug and
stays a 500. The partner API answers a problem (application/problem+json): its app registers
how with answer_problems_under(); pages get a plain HTML page that needs no database.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

RETRY_AFTER_SECONDS = 30
SERVER_ERROR = "Something went wrong on our side; it has been logged."
UNAVAILABLE = "The library is temporarily unavailable. Try again shortly."
# admin_shutdown, crash_shutdown, cannot_connect_now: the server ended or refuses the session.
_SERVER_GONE = {"57P01", "57P02", "57P03"}


def database_unavailable(exception) -> bool:
    """Whether exception means the database cannot be reached, rather than a failed query."""
    if not isinstance(exception, OperationalError | InterfaceError):
        return False
    sqlstate = getattr(getattr(exception, "__cause__", None), "sqlstate", None)
    return not sqlstate or sqlstate.startswith("08") or sqlstate in _SERVER_GONE


# Path prefix -> problem(request, status, code, detail): how that part of the site answers errors.
_problem_answers = {}


def answer_problems_under(prefix: str, problem) -> None:
    """Errors of requests under prefix are answered by problem(request, status, code, detail)."""
    _problem_answers[prefix] = problem


def unavailable_response(request) -> HttpResponse:
    if problem := _problem_answer(request):
        response = problem(request, 503, "service_unavailable", UNAVAILABLE)
    else:
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """handler500: a lost database surfacing outside a view (a middleware saving the session,
    a response rendered late) is still a 503; the API's 500 is a problem like its other errors."""
    error = sys.exc_info()[1]
    if error is not None and database_unavailable(error):
        return unavailable_response(request)
    if problem := _problem_answer(request):
        return problem(request, 500, "server_error", SERVER_ERROR)
    return defaults.server_error(request)


def bad_request(request, exception):
    """handler400: a request Django refuses before any view (a Host not in ALLOWED_HOSTS, a
    malformed body) is, on the API, a problem like its other errors; the reason is logged,
    not echoed."""
    if problem := _problem_answer(request):
        return problem(request, 400, "bad_request", "The request could not be understood.")
    return defaults.bad_request(request, exception)


def _problem_answer(request):
    for prefix, problem in _problem_answers.items():
        if request.path_info.startswith(prefix):
            return problem
    return None
