"""Middleware of the project."""

import logging

from tovani.unavailable import database_unavailable, unavailable_response

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After when a view loses the database, never a traceback.

    Only connection failures qualify (tovani.unavailable); any other database error is a bug and
    goes to the ordinary 500 handling. Failures outside views reach handler500, which answers
    the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        logger.error("Database unavailable: %s", exception)
        return unavailable_response(request)
