"""The library's statements about itself: its editorial policy and its disclosures.

They are reviewed content like any page: an editor drafts, a physician signs the exact text,
a publisher publishes, and the public reads only the live publication.
"""

import re

import reversion
from django.db import models
from django.urls import reverse

from publishing.protocol import PublishableModel
from tovani.rendering import markdown_to_text, render_markdown

DOCUMENT_SCHEMA = 1


class Statement(models.TextChoices):
    POLICY = "editorial-policy", "Editorial policy"
    DISCLOSURES = "disclosures", "Disclosures"
    SYNDICATION = "syndication", "Syndication terms"


# Each statement has its fixed address (editorial/urls.py).
URL_NAMES = {
    Statement.POLICY: "editorial:policy",
    Statement.DISCLOSURES: "editorial:disclosures",
    Statement.SYNDICATION: "editorial:syndication",
}


@reversion.register()
class EditorialPage(PublishableModel, models.Model):
    slug = models.SlugField(
        max_length=40,
        unique=True,
        choices=Statement.choices,
        help_text="Which statement this is; each has its fixed address under /about/.",
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="One or two plain sentences under the title.")
    body = models.TextField(
        help_text="Markdown. Start each section with a line “## Heading”; lists and links as usual."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "editorial statement"
        ordering = ["slug"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(URL_NAMES[self.slug])

    def build_document(self) -> dict:
        return {
            "schema": DOCUMENT_SCHEMA,
            "kind": "editorial",
            "slug": self.slug,
            "title": self.title.strip(),
            "summary": self.summary.strip(),
            "sections": [
                {
                    "heading": heading,
                    "html": render_markdown(text),
                    "text": markdown_to_text(text),
                }
                for heading, text in sections(self.body)
            ],
        }

    def prose_outline(self, document) -> list[tuple[str, list[str]]]:
        return self.review_outline(document)[1:]

    def review_outline(self, document) -> list[tuple[str, list[str]]]:
        return [
            ("Title", [document["title"]]),
            ("Summary", [document["summary"]]),
            *(
                (section["heading"] or "Introduction", [section["text"]])
                for section in document["sections"]
            ),
        ]

    def review_parts(self) -> list:
        """Title, summary and each section of the body, in the order of review_outline(); a
        section's anchor is its heading, so it stays on its section when others are added."""
        from django.utils.text import slugify

        from reviews.comments import Part, anchor

        parts = [
            Part(anchor(self, "title"), "Title", "Title", self.title, 0),
            Part(anchor(self, "summary"), "Summary", "Summary", self.summary, 0),
        ]
        for heading, text in sections(self.body):
            name = heading or "Introduction"
            key = f"body#{slugify(heading) or 'introduction'}"
            parts.append(Part(anchor(self, key), name, f"Section: {name}", text, 0))
        return [part for part in parts if part.text.strip()]


# A line "## Heading" starts a section; the page shows its heading as a second-level heading.
_SECTION = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


def sections(body: str) -> list[tuple[str, str]]:
    """(heading, Markdown) of each section of body; the text before the first heading has none."""
    parts = _SECTION.split((body or "").strip())
    found = [("", parts[0].strip())] if parts[0].strip() else []
    found += [(h.strip(), t.strip()) for h, t in zip(parts[1::2], parts[2::2], strict=True)]
    return found
