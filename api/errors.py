"""Every API error is one shape: RFC 9457 problem details, answered as application/problem+json.

problem() builds it, whoever answers: the DRF exception handler below, the JSON 404 for
addresses outside the endpoints, plain Django views, and the project's 503 and 500 handlers
(tovani.unavailable). Besides RFC 9457's members (type, title, status, detail, instance) a
problem carries the API's stable code and, for invalid query parameters, the messages for each
parameter. Each code the API gives has a type URI: a page of this site saying what it means and
what to do (/api/problems/<code>/); any other code is about:blank with the status's own title.
"""

import logging
from dataclasses import dataclass
from http import HTTPStatus

from django.core.exceptions import DisallowedHost
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler as drf_exception_handler

from partners.authentication import API_KEY_HEADER
from tovani.site_url import site_origin

PROBLEM_JSON = "application/problem+json"
INVALID_PARAMETERS = "Some query parameters are not valid; see parameters."
MISSING_KEY = f"Send your partner API key in the {API_KEY_HEADER} header."
NO_ENDPOINT = "There is no API endpoint at this address."
SERVER_ERROR = "Something went wrong on our side; it has been logged."
# The answer's headers a problem keeps from DRF's own handling of the exception.
_KEPT_HEADERS = ("WWW-Authenticate", "Retry-After")

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProblemType:
    """What a code means and what the partner should do, as its documentation page says."""

    status: int
    title: str
    meaning: str
    remedy: str


PROBLEM_TYPES = {
    "invalid": ProblemType(
        400,
        "Invalid query parameters",
        "A query parameter is not one the endpoint knows, is blank, or has a value it does not "
        "accept: a page size outside 1–100, an impossible date, a cursor it did not hand out.",
        "Read parameters: it names each parameter at fault with its messages. Correct or drop "
        "them; use cursors exactly as the API gave them.",
    ),
    "not_authenticated": ProblemType(
        401,
        "API key missing",
        f"The request did not carry a partner API key in the {API_KEY_HEADER} header.",
        f"Send the key the library's administrators issued to you as {API_KEY_HEADER}: <key>.",
    ),
    "authentication_failed": ProblemType(
        401,
        "API key not valid",
        "The key sent is not one the library issued, or it has been revoked or replaced.",
        "Check that the whole key is sent unchanged; if it was rotated or revoked, ask the "
        "library's administrators for the current one.",
    ),
    "permission_denied": ProblemType(
        403,
        "Not allowed",
        "The request was identified but may not read this resource.",
        "Read the API with a partner key; ask the library's administrators if you need access.",
    ),
    "not_found": ProblemType(
        404,
        "Not found",
        "No page is published at this address, or there is no API endpoint here.",
        "Check the address against the API's documentation; a page taken down is listed by "
        "/api/v1/withdrawn/, and /api/v1/manifest/ lists every live page.",
    ),
    "method_not_allowed": ProblemType(
        405,
        "Method not allowed",
        "The API only reads: its endpoints answer GET and HEAD (the Allow header lists them).",
        "Send GET.",
    ),
    "throttled": ProblemType(
        429,
        "Rate limit exceeded",
        "Over the partner's requests a minute, or too many requests without a valid key from "
        "one address.",
        "Wait the seconds Retry-After gives, then continue; use If-None-Match so unchanged "
        "answers cost little, or ask for a higher limit.",
    ),
    "server_error": ProblemType(
        500,
        "Server error",
        "Something failed on the library's side while answering; it has been logged.",
        "Try again later; if it persists, tell the library's administrators the time and "
        "the address asked for.",
    ),
    "service_unavailable": ProblemType(
        503,
        "Temporarily unavailable",
        "The library cannot reach its records for a moment (a database restart or failover).",
        "Retry after the seconds Retry-After gives; nothing you sent was wrong.",
    ),
}


def problem(request, status: int, code: str, detail: str, **members) -> HttpResponse:
    """An RFC 9457 problem details answer, never stored by a cache.

    members are extension members (parameters for invalid query parameters).
    """
    known = PROBLEM_TYPES.get(code)
    body = {
        "type": type_uri(request, code) if known else "about:blank",
        "title": known.title if known else HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
        "instance": escape_uri_path(request.path),
        "code": code,
        **members,
    }
    response = HttpResponse(JSONRenderer().render(body), status=status, content_type=PROBLEM_JSON)
    response["Cache-Control"] = "no-store"
    return response


def type_uri(request, code: str) -> str:
    """The absolute address of the page documenting code (relative if the host is unknown)."""
    path = reverse("api:problem-type", kwargs={"code": code})
    try:
        return site_origin(request) + path
    except DisallowedHost:
        return path


def exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: each exception a view raises, as a problem."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    handled = drf_exception_handler(exc, context)  # also rolls back the view's transaction
    if handled is None:
        return _server_error(exc, context)
    request = context["request"]
    if isinstance(exc, exceptions.ValidationError):
        response = problem(request, 400, "invalid", INVALID_PARAMETERS, parameters=_parameters(exc))
    else:
        response = problem(request, handled.status_code, *_code_and_detail(exc))
    for header in _KEPT_HEADERS:
        if header in handled:
            response[header] = handled[header]
    return response


def _code_and_detail(exc) -> tuple[str, str]:
    if isinstance(exc, exceptions.NotAuthenticated):
        return exc.default_code, MISSING_KEY
    code = exc.get_codes()
    return (code if isinstance(code, str) else exc.default_code), str(exc.detail)


def _parameters(exc) -> dict:
    fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    return {name: [str(m) for m in _messages(value)] for name, value in fields.items()}


def _server_error(exc, context):
    # A lost database goes on to tovani.middleware, which answers 503 (a problem here too).
    if isinstance(exc, OperationalError | InterfaceError):
        return None
    request = context["request"]
    logger.error("Error answering %s", request.path, exc_info=exc)
    return problem(request, 500, "server_error", SERVER_ERROR)


def _messages(value):
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    if isinstance(value, dict):
        return [message for item in value.values() for message in _messages(item)]
    return [value]


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Anything under /api/ that is no endpoint, whatever the method (so no CSRF failure page)."""
    return problem(request, 404, "not_found", NO_ENDPOINT)
