"""Varnish with vmod_xkey: one PURGE request names the keys (deploy/varnish.vcl)."""

from purges.backends.base import Backend, chunks

# Keys per request: the header stays far below Varnish's limits.
BATCH = 100


class Varnish(Backend):
    kind = "varnish"

    def send(self, keys, paths):
        for batch in chunks(keys, BATCH):
            headers = {"xkey-purge": " ".join(batch)}
            response = self.request("PURGE", f"{self.url}/", headers=headers)
            if response.status_code != 200:
                raise self.refuse(response)
