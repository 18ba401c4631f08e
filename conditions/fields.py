from django.db import models

from references.citations import validate_citations


class MarkdownField(models.TextField):
    """Editor text in Markdown, with [@citekey] citations that must name a known reference."""

    default_validators = [validate_citations]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text",
            "Markdown. Cite references as [@citekey] or [@key1; @key2].",
        )
        super().__init__(*args, **kwargs)
