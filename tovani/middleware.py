"""Middleware of the project."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)
# The partner API answers in JSON, errors included.
API_PREFIX = "/api/"
UNAVAILABLE = "The library is briefly unavailable; try again in 30 seconds."


class DatabaseUnavailableMiddleware:
    """Answer a plain 503 when the database cannot be reached, never a traceback.

    Only connection failures qualify (OperationalError, InterfaceError); any other database error
    is a bug and goes to the ordinary 500 handling.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if _is_query_error(exception):
            return None
        logger.error("Database unavailable: %s", exception)
        if request.path.startswith(API_PREFIX):
            response = JsonResponse({"detail": UNAVAILABLE, "code": "unavailable"}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response


def _is_query_error(exception) -> bool:
    # psycopg reports a lost or refused connection with an SQLSTATE of class 08, or none at all.
    sqlstate = getattr(getattr(exception, "__cause__", None), "sqlstate", None)
    return bool(sqlstate) and not sqlstate.startswith("08")
