"""nginx with the cache-purge module, which purges by exact address: one PURGE per path
(deploy/nginx-purge.conf), with the site's Host, so the key is the one the page was cached
under. A 404 means nothing was cached there, which is as good as purged."""

from urllib.parse import urlsplit

from django.conf import settings

from purges.backends.base import Backend


class Nginx(Backend):
    kind = "nginx"

    def send(self, keys, paths):
        for path in paths:
            site = urlsplit(settings.SITE_URL)
            headers = {"Host": site.netloc, "X-Cache-Scheme": site.scheme} if site.netloc else {}
            response = self.request("PURGE", f"{self.url}{path}", headers=headers)
            if response.status_code not in (200, 404, 412):
                raise self.refuse(response)
