"""Where the public site lives: the one place its address is worked out.

Canonical URLs, Open Graph, JSON-LD, the sitemap, the feed, robots.txt, e-mails and the API's
links all come from here. With SITE_URL set (production requires it), every address is on it,
whatever Host a request names. Without it (development), the address is the host of the request
being answered, as ALLOWED_HOSTS admits it, with its port only when that is the port the server
answers on: a Host header naming another port is neither reflected in a link nor the cause of
another cache entry. Outside a request (a worker, a command) and without SITE_URL there is no
address to give, and links stay relative rather than naming a host that may not be this one.
"""

from django.conf import settings
from django.http.request import split_domain_port

from tovani.request_context import current_request

# A reserved name (RFC 2606) that no real link uses: stored renderings hold it where the
# site's origin goes, so one rendering serves whatever address the site has.
ORIGIN_PLACEHOLDER = "https://origin.invalid"
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def site_origin(request=None) -> str:
    """scheme://host[:port] of the public site, without a trailing slash ("" when unknown)."""
    if settings.SITE_URL:
        return settings.SITE_URL
    request = request or current_request()
    if request is None:
        return ""
    host, port = split_domain_port(request.get_host())  # get_host() checks ALLOWED_HOSTS
    scheme = request.scheme
    if port and port == request.META.get("SERVER_PORT") and port != _DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"


def absolute_url(path, request=None) -> str:
    """The full address of a path on the public site."""
    return site_origin(request) + path


def site_context() -> dict:
    """What the site-wide context processor gives, for renderings made without a request."""
    return {"SITE_NAME": settings.SITE_NAME, "CLINIC_NAME": settings.CLINIC_NAME}
