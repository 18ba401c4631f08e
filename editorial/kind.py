"""Editorial statements as a kind of page: each at its fixed address, rendered at publish."""

from django.urls import reverse

from editorial.models import URL_NAMES, EditorialPage
from editorial.views import STATEMENT
from publishing import registry


def statement_path(slug: str) -> str:
    return reverse(URL_NAMES[slug])


def register():
    registry.register(
        EditorialPage, route=statement_path, renderings=[STATEMENT], name="editorial_statement"
    )
