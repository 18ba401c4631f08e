"""Where references are cited, asked of the content apps that cite them.

The references app imports no content app. A content app registers a citation source in its
AppConfig.ready(); “cited by” lists and citekey renames ask every registered source:

    citations_of(citekey) -> list[Citation]      where the key is cited, field by field
    rewrite_citekey(old, new) -> list[Citation]  replace [@old] with [@new], saving each row
                                                 changed inside the caller's transaction and
                                                 revision; returns what it changed
    pages_keeping(citekey) -> list[str]          the pages, live or in review, that cite the
                                                 key: while there are any, the reference stays
"""

from dataclasses import dataclass
from typing import Protocol

from references.errors import ReferenceInUse


@dataclass(frozen=True)
class Citation:
    page: str  # the page, as an editor knows it: its title
    field: str  # where on the page: “Clinical definition”, “Key point 2”
    url: str = ""  # where the editor edits it


class CitationSource(Protocol):
    def citations_of(self, citekey: str) -> list[Citation]: ...

    def rewrite_citekey(self, old: str, new: str) -> list[Citation]: ...

    def pages_keeping(self, citekey: str) -> list[str]: ...


_sources: list[CitationSource] = []


def register_citation_source(source: CitationSource):
    if source not in _sources:
        _sources.append(source)


def citations_of(citekey: str) -> list[Citation]:
    return [citation for source in _sources for citation in source.citations_of(citekey)]


def rewrite_citekey(old: str, new: str) -> list[Citation]:
    return [citation for source in _sources for citation in source.rewrite_citekey(old, new)]


def pages_keeping(citekey: str) -> list[str]:
    """The live pages and pages in review that cite citekey, by title."""
    return [page for source in _sources for page in source.pages_keeping(citekey)]


def refuse_deleting_cited(citekeys) -> None:
    """Raise ReferenceInUse, naming the pages, if a live or in-review page cites any key."""
    refusals = [
        f"@{key} is cited by {', '.join(f'“{page}”' for page in pages)}"
        for key in sorted(set(citekeys))
        if (pages := pages_keeping(key))
    ]
    if refusals:
        raise ReferenceInUse(
            "; ".join(refusals) + ": a reference a live page or a page in review cites cannot "
            "be deleted. Remove the citation and publish (or withdraw the review) first."
        )
