"""Every API error is one JSON shape: a sentence, a code, and the fields at fault if any."""

import logging

from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from partners.authentication import API_KEY_HEADER

INVALID_PARAMETERS = "Some query parameters are not valid; see parameters."
MISSING_KEY = f"Send your partner API key in the {API_KEY_HEADER} header."
SERVER_ERROR = "Something went wrong on our side; it has been logged."

logger = logging.getLogger(__name__)


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    response = drf_exception_handler(exc, context)
    if response is None:
        return _server_error(exc, context)
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = {
            "detail": INVALID_PARAMETERS,
            "code": "invalid",
            "parameters": {
                name: [str(m) for m in _messages(value)] for name, value in fields.items()
            },
        }
    elif isinstance(exc, exceptions.NotAuthenticated):
        response.data = {"detail": MISSING_KEY, "code": exc.get_codes()}
    elif isinstance(exc, exceptions.APIException):
        response.data = {"detail": str(exc.detail), "code": exc.get_codes()}
    return response


def _server_error(exc, context):
    # A lost database goes on to tovani.middleware, which answers 503 (in JSON here).
    if isinstance(exc, OperationalError | InterfaceError):
        return None
    request = context.get("request")
    logger.error("Error answering %s", getattr(request, "path", "the API"), exc_info=exc)
    return JsonResponse({"detail": SERVER_ERROR, "code": "server_error"}, status=500)


def _messages(value):
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    if isinstance(value, dict):
        return [message for item in value.values() for message in _messages(item)]
    return [value]


def not_found(request, *args, **kwargs):
    return JsonResponse(
        {"detail": "There is no API endpoint at this address.", "code": "not_found"}, status=404
    )
