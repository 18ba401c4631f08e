"""The edge caches a purge is sent to, from PURGE_URLS: one URL each, its scheme naming the kind.

``varnish+http://host:port`` (xkey, deploy/varnish.vcl), ``nginx+http://host:port`` (the
cache-purge module, deploy/nginx-purge.conf), ``fastly+https://api.fastly.com/service/ID``
(FASTLY_API_TOKEN) and ``cloudflare+https://api.cloudflare.com/client/v4/zones/ID``
(CLOUDFLARE_API_TOKEN). Each backend's send() returns when the cache confirmed, or raises.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from purges.backends.http_tag import Cloudflare, Fastly
from purges.backends.nginx import Nginx
from purges.backends.varnish import Varnish

KINDS = {"varnish": Varnish, "nginx": Nginx, "fastly": Fastly, "cloudflare": Cloudflare}


def configured() -> list:
    """A backend for each URL of PURGE_URLS, named by its URL (without a token)."""
    return [backend(url) for url in settings.PURGE_URLS]


def backend(url: str):
    kind, plus, rest = url.partition("+")
    if not plus or kind not in KINDS or not urlsplit(rest).netloc:
        raise ImproperlyConfigured(
            f"PURGE_URLS: {url!r} is not one of {', '.join(k + '+URL' for k in KINDS)}."
        )
    return KINDS[kind](rest)
