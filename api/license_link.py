"""The syndication terms on every answer of the partner surfaces: `Link: <…>; rel="license"`.

A middleware rather than a header per view, so no answer escapes it: the detail answered before
DRF, the Spanish rewrites, 304s, every problem and OperationOutcome, the 503 and 500 handlers.
The address is API_TERMS_URL, or this site's syndication statement (editorial).
"""

from functools import cache

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import reverse

from tovani.site_url import site_origin

# The partner API, FHIR and CDS Hooks.
LICENSED_PATHS = ("/api/", "/fhir/", "/cds-services")


@cache
def _terms_path() -> str:
    return reverse("editorial:syndication")


def terms_url(request=None) -> str:
    """The absolute address of the terms partners republish pages on (relative when the
    request names no host this site answers to)."""
    if settings.API_TERMS_URL:
        return settings.API_TERMS_URL
    try:
        return site_origin(request) + _terms_path()
    except DisallowedHost:
        return _terms_path()


def add_license_link(response, request):
    link = f'<{terms_url(request)}>; rel="license"'
    existing = response.get("Link")
    response["Link"] = f"{existing}, {link}" if existing else link
    return response


class LicenseLinkMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(LICENSED_PATHS):
            add_license_link(response, request)
        return response
