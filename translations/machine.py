"""Machine translation: a first draft a person must check, never a shortcut to publishing.

TRANSLATION_MACHINE_BACKEND names a class (a dotted path) with
``translate(texts: list[str], source: str, target: str) -> list[str]``; empty, the library has
none and the "Machine draft" action is not offered. LibreTranslate below is a real client of a
LibreTranslate server (self-hosted, so no clinical text leaves the clinic) at
TRANSLATION_MACHINE_URL. Every segment it fills is marked "machine", and the page cannot be
submitted until a person has edited or confirmed each one (translations.models).
"""

import json
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

from translations.errors import TranslationError


def backend():
    """The configured machine translator, or None."""
    path = getattr(settings, "TRANSLATION_MACHINE_BACKEND", "")
    return import_string(path)() if path else None


class LibreTranslate:
    """POST /translate of a LibreTranslate server, one text at a time, as Markdown kept."""

    def __init__(self, url=None, api_key=None, timeout=None):
        self.url = (url or settings.TRANSLATION_MACHINE_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else settings.TRANSLATION_MACHINE_API_KEY
        self.timeout = timeout or settings.TRANSLATION_MACHINE_TIMEOUT

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        return [self._one(text, source, target) for text in texts]

    def _one(self, text, source, target) -> str:
        body = {"q": text, "source": source, "target": target, "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        if not self.url.startswith(("http://", "https://")):
            raise TranslationError("TRANSLATION_MACHINE_URL must be an http(s) address.")
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
            self.url + "/translate",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.load(response)
        except (OSError, ValueError) as error:
            raise TranslationError(
                f"The machine translator at {self.url} did not answer ({error}); "
                "nothing was changed."
            ) from error
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, str):
            raise TranslationError(
                f"The machine translator at {self.url} answered without a translation."
            )
        return translated
