"""What every backend shares: a name, a short timeout, and an error that says which cache."""

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings


class PurgeFailed(Exception):
    """An edge cache did not confirm a purge."""


@dataclass(frozen=True)
class Answer:
    status_code: int
    text: str

    def json(self):
        return json.loads(self.text)


class Backend:
    kind = ""

    def __init__(self, url: str):
        self.url = url.rstrip("/")

    @property
    def name(self) -> str:
        return f"{self.kind} {self.url}"

    def send(self, keys: list[str], paths: list[str]) -> None:
        raise NotImplementedError

    def request(self, method: str, url: str, *, headers=None, json_body=None) -> Answer:
        data = None
        headers = dict(headers or {})
        if json_body is not None:
            data = json.dumps(json_body).encode()
            headers["Content-Type"] = "application/json"
        # URLs from settings (PURGE_URLS), http or https only (purges.backends.backend).
        request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
        timeout = settings.PURGE_TIMEOUT_SECONDS
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
                return Answer(answer.status, answer.read().decode(errors="replace"))
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.read().decode(errors="replace"))
        except (urllib.error.URLError, OSError) as error:
            raise PurgeFailed(f"{self.name}: {error}") from error

    def refuse(self, answer: Answer) -> PurgeFailed:
        return PurgeFailed(f"{self.name} answered {answer.status_code}: {answer.text[:200]}")


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
