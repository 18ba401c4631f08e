"""What a kind of page offers to be published: the Publishable protocol.

The workflow (reviews) calls these methods on any page; the registry's system check verifies
that each registered model has them. PublishableModel gives a kind the methods it may leave as
they are (no problems, no warnings, the document as its source) and joins the publishing
pipeline (renderings, read model, pointers) at publish and unpublish.
"""

from typing import Protocol, runtime_checkable


@runtime_checkable
class Publishable(Protocol):
    """A kind of page the workflow can review, sign, publish and withdraw."""

    def build_source(self) -> dict:
        """What a physician signs: the content as typed (its sha256 is the source digest)."""

    def build_document(self) -> dict:
        """The rendered page as plain, deterministic JSON data; it holds "slug" and "title"."""

    def document_problems(self, document) -> list[str]:
        """What must be fixed before the document can be signed or published."""

    def document_warnings(self, document) -> list[str]:
        """What a reviewer should see that does not stop publishing."""

    def review_outline(self, document) -> list[tuple[str, list[str]]]:
        """(section, texts) in page order: what the review screen compares."""

    def prose_outline(self, document) -> list[tuple[str, list[str]]]:
        """The sections of running text a reader reads: what readability grades."""

    def reading_language(self) -> str:
        """The language the page's prose is written in ("en", "es"): which measure readability
        scores it with (tovani.readability)."""

    def review_parts(self) -> list:
        """The parts a reviewer can comment on (reviews.comments.Part), in page order."""

    def shared_changes(self, since=None) -> list:
        """Changes since a moment to parts the page shares with other pages (a treatment's
        summary): what a review round lists beside the page's own changes."""

    def reviewer_refusals(self, user, physician) -> list[str]:
        """Why this physician may not review this page, beyond the workflow's own rules (a
        translation: one who does not read its language); empty when they may."""

    def on_publish(self, publication) -> None:
        """Make the publication public (inside publish's transaction)."""

    def on_unpublish(self, publication) -> None:
        """Take the publication off the public site (inside unpublish's transaction)."""


PROTOCOL_METHODS = [
    name
    for name in vars(Publishable)
    if not name.startswith("_") and callable(vars(Publishable)[name])
]


class PublishableModel:
    """Defaults for a registered model: mix it in before models.Model."""

    def build_source(self) -> dict:
        return self.build_document()

    def document_problems(self, document) -> list[str]:
        return []

    def document_warnings(self, document) -> list[str]:
        return []

    def prose_outline(self, document) -> list[tuple[str, list[str]]]:
        return self.review_outline(document)

    def reading_language(self) -> str:
        return "en"

    def review_parts(self) -> list:
        return []

    def shared_changes(self, since=None) -> list:
        return []

    def reviewer_refusals(self, user, physician) -> list[str]:
        return []

    def on_publish(self, publication) -> None:
        from publishing import pipeline

        pipeline.go_live(self, publication)

    def on_unpublish(self, publication) -> None:
        from publishing import pipeline

        pipeline.come_down(self, publication)
