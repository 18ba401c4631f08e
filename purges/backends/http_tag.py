"""CDNs that purge by tag over their HTTP API: Fastly (Surrogate-Key) and Cloudflare (Cache-Tag).

Base URLs are settings, so tests send to a fake on 127.0.0.1: for Fastly the service's URL
(``https://api.fastly.com/service/SERVICE_ID``), for Cloudflare the zone's
(``https://api.cloudflare.com/client/v4/zones/ZONE_ID``).
"""

from django.conf import settings

from purges.backends.base import Backend, chunks


class Fastly(Backend):
    """POST /service/ID/purge with the keys in Surrogate-Key, 256 at most a request."""

    kind = "fastly"

    def send(self, keys, paths):
        for batch in chunks(keys, 256):
            response = self.request(
                "POST",
                f"{self.url}/purge",
                headers={
                    "Fastly-Key": settings.FASTLY_API_TOKEN,
                    "Surrogate-Key": " ".join(batch),
                    "Accept": "application/json",
                },
            )
            if response.status_code != 200:
                raise self.refuse(response)


class Cloudflare(Backend):
    """POST /zones/ID/purge_cache with {"tags": [...]}, 30 a request; success must be true."""

    kind = "cloudflare"

    def send(self, keys, paths):
        for batch in chunks(keys, 30):
            response = self.request(
                "POST",
                f"{self.url}/purge_cache",
                headers={"Authorization": f"Bearer {settings.CLOUDFLARE_API_TOKEN}"},
                json_body={"tags": batch},
            )
            if response.status_code != 200 or not _succeeded(response):
                raise self.refuse(response)


def _succeeded(response) -> bool:
    try:
        return response.json().get("success") is True
    except ValueError:
        return False
