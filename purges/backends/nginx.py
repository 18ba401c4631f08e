"""nginx with the cache-purge module, which purges by address: one PURGE per path
(deploy/nginx-purge.conf). A path ending in * purges every cached address it starts; 404 means
nothing was cached there, which is as good as purged."""

from purges.backends.base import Backend


class Nginx(Backend):
    kind = "nginx"

    def send(self, keys, paths):
        for path in paths:
            response = self.request("PURGE", f"{self.url}{path}")
            if response.status_code not in (200, 404, 412):
                raise self.refuse(response)
