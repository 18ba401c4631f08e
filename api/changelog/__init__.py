"""The API's changelog, kept in the repository beside the code it describes, served as is."""

from functools import cache
from pathlib import Path

from django.http import HttpResponse

from tovani.http import public

CHANGELOG = Path(__file__).with_name("CHANGELOG.md")


@cache
def text() -> str:
    return CHANGELOG.read_text(encoding="utf-8")


def changelog(request):
    """GET /api/changelog/: the Markdown file, for people and for a partner's tooling."""
    return public(HttpResponse(text(), content_type="text/markdown; charset=utf-8"))
