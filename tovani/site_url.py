"""Where the public site lives: the one place its address is worked out.

Canonical URLs, Open Graph, JSON-LD, the sitemap, the feed, robots.txt, e-mails and the API's
links all come from here. With SITE_URL set, every address is on it, whatever Host a request
names. Without it (development), the address is the request's host as ALLOWED_HOSTS admits it,
with its port only when that is the port the server answers on: a Host header naming another
port is neither reflected in a link nor the cause of another cache entry.
"""

from django.conf import settings
from django.http.request import split_domain_port

# A reserved name (RFC 2606) that no real link uses: stored renderings hold it where the
# site's origin goes, so one rendering serves whatever address the site has.
ORIGIN_PLACEHOLDER = "https://origin.invalid"
# Links in e-mails, made without a request, when SITE_URL is not set: the development server.
DEVELOPMENT_ORIGIN = "http://127.0.0.1:8000"
_DEFAULT_PORTS = {"http": "80", "https": "443"}


def site_origin(request) -> str:
    """scheme://host[:port] of the public site, for this request."""
    if settings.SITE_URL:
        return settings.SITE_URL
    host, port = split_domain_port(request.get_host())  # get_host() checks ALLOWED_HOSTS
    scheme = request.scheme
    if port and port == request.META.get("SERVER_PORT") and port != _DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"


def absolute_url(request, path: str) -> str:
    return site_origin(request) + path


def link(path: str) -> str:
    """An absolute link made without a request (e-mails): on SITE_URL when it is set."""
    return (settings.SITE_URL or DEVELOPMENT_ORIGIN) + path


def site_context() -> dict:
    """What the site-wide context processor gives, for renderings made without a request."""
    return {"SITE_NAME": settings.SITE_NAME, "CLINIC_NAME": settings.CLINIC_NAME}
