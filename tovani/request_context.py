"""What the logs and the site's address need to know about the request being answered.

A middleware records the request for the time it is answered, with an id (the proxy's
X-Request-ID when it sends one, else a new one), so log lines name the request they belong to and
code without a request argument, such as a workflow step e-mailing a link, can still find the
address it was reached at.
"""

import logging
import os
import re
from contextvars import ContextVar

_current = ContextVar("current_request", default=None)
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current_request():
    """The request being answered in this thread or task, or None."""
    return _current.get()


class RequestContextMiddleware:
    """Give each request an id, answer it in X-Request-ID, and make it the current request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = _request_id(request)
        token = _current.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response["X-Request-ID"] = request.id
        return response


def _request_id(request) -> str:
    # From META: request.headers would build a mapping of every header for this one.
    offered = request.META.get("HTTP_X_REQUEST_ID", "")
    return offered if _VALID_ID.match(offered) else os.urandom(8).hex()


class RequestFilter(logging.Filter):
    """Add " [METHOD path id=…]" to a log record made while a request is answered."""

    def filter(self, record):
        request = getattr(record, "request", None) or _current.get()
        record.request_context = (
            f" [{request.method} {request.path} id={getattr(request, 'id', '-')}]"
            if request is not None and hasattr(request, "method")
            else ""
        )
        return True
