"""After a rotation, the proxies in front fetch the key set again at once.

A proxy keeps the key set for KEY_SET_MAX_AGE; a page signed with the new key in that minute
would not verify through it. rotate_signing_key therefore asks each address in
KEY_SET_REFRESH_URLS for the key set with ``X-Tovani-Refresh: 1``, which the shipped nginx
honours from its own machine by skipping its copy and storing the new one.
"""

import http.client
from urllib.parse import urlsplit

from django.conf import settings

REFRESH_HEADER = "X-Tovani-Refresh"
TIMEOUT_SECONDS = 5
_CONNECTIONS = {"http": http.client.HTTPConnection, "https": http.client.HTTPSConnection}


def refresh_key_set_caches() -> list[str]:
    """One line per configured proxy saying whether it now holds the new key set."""
    return [_refresh(url) for url in settings.KEY_SET_REFRESH_URLS]


def _refresh(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in _CONNECTIONS or not parts.hostname:
        return f"{url}: not refreshed (not an http:// or https:// address)."
    headers = {REFRESH_HEADER: "1"}
    if settings.SITE_URL:
        # The proxy keeps one copy per public host name: refresh that one.
        headers["Host"] = urlsplit(settings.SITE_URL).netloc
    connection = _CONNECTIONS[parts.scheme](parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("GET", parts.path or "/", headers=headers)
        response = connection.getresponse()
        response.read()
    except OSError as error:
        return (
            f"{url}: not refreshed ({error}); it may serve the old key set for up to "
            f"{settings.KEY_SET_MAX_AGE} s."
        )
    finally:
        connection.close()
    outcome = "refreshed" if response.status == 200 else "not refreshed"
    return f"{url}: {outcome} (HTTP {response.status})."
