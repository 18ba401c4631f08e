"""The site's public address: SITE_URL, or in development the address a request came to.

Production settings require SITE_URL, so the request's own address is a development convenience:
`make run` on any host or port links back to itself. Outside a request (a worker, a command) and
without SITE_URL there is no address to give, and links stay relative rather than naming a host
that may not be this one.
"""

from django.conf import settings

from tovani.request_context import current_request


def site_origin(request=None) -> str:
    """Scheme and host of the public site, without a trailing slash ("" when unknown)."""
    if settings.SITE_URL:
        return settings.SITE_URL
    request = request or current_request()
    if request is None:
        return ""
    return f"{request.scheme}://{request.get_host()}"


def absolute_url(path, request=None) -> str:
    """The full address of a path on the public site."""
    return site_origin(request) + path
