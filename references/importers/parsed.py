"""ParsedReference: one reference as an importer read it, before it meets the library."""

import re
from dataclasses import asdict, dataclass, field, fields
from datetime import date

from references.validators import normalize_doi, normalize_pmcid, normalize_pmid, strip_invisible

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})
_PAGE_RANGE = re.compile(
    r"^(?P<prefix>[A-Za-z]*)(?P<first>\d+)-(?P=prefix)?(?P<last>\d+)(?P<rest>(?:[;,]\s*.*)?)$"
)


_TEXT = ("title", "journal", "volume", "issue", "pmid", "url", "retraction_notice", "publisher")
_TEXT += ("book_title", "edition")


@dataclass
class ParsedReference:
    authors: list[str] = field(default_factory=list)
    title: str = ""
    journal: str = ""
    year: int | None = None
    volume: str = ""
    issue: str = ""
    pages: str = ""
    pmid: str = ""
    doi: str = ""
    pmcid: str = ""
    url: str = ""
    retraction_notice: str = ""
    kind: str = "article"  # a Reference.Kind value
    et_al: bool = False  # the source names only the first authors
    book_title: str = ""
    editors: list[str] = field(default_factory=list)
    edition: str = ""
    publisher: str = ""
    accessed: str = ""  # ISO date a web page was read
    # Where the reference was in the input, for messages: its position and first line.
    record: int = 0
    line: int | None = None
    # What the importer could not read, said plainly; shown with the preview.
    notes: list[str] = field(default_factory=list)
    # What the editor must check, such as lines of the input skipped: reported with the import.
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.tidy()

    @property
    def where(self) -> str:
        place = f"Record {self.record}" if self.record else "A record"
        return f"{place} (line {self.line})" if self.line else place

    @property
    def first_author(self) -> str:
        return self.authors[0] if self.authors else ""

    def describe(self) -> str:
        """“Record 3 (line 12), Rodriguez CI 2013” — enough to find it in the input."""
        who = " ".join(str(part) for part in (self.first_author, self.year) if part)
        return f"{self.where}, {who}" if who else self.where

    def tidy(self):
        """Whitespace, dashes, identifiers and page ranges in the library's conventions."""
        self.authors = _names(self.authors)
        self.editors = _names(self.editors)
        for name in _TEXT:
            setattr(self, name, " ".join(strip_invisible(getattr(self, name) or "").split()))
        self.pages = strip_invisible(self.pages)
        self.pmid = normalize_pmid(self.pmid)
        self.title = _strip_final_period(self.title)
        self.journal = self.journal.rstrip(".").strip()
        self.issue = self.issue.translate(_DASHES)
        self.pages = expand_page_range(" ".join((self.pages or "").split()).translate(_DASHES))
        self.doi = normalize_doi(self.doi)
        self.pmcid = normalize_pmcid(self.pmcid)

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "ParsedReference":
        names = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in names})

    def reference_fields(self) -> dict:
        """The Reference model's fields, as this record fills them."""
        return {
            "kind": self.kind,
            "authors": ", ".join(self.authors),
            "et_al": self.et_al,
            "title": self.title,
            "journal": self.journal,
            "year": self.year,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "pmid": self.pmid,
            "doi": self.doi,
            "pmcid": self.pmcid,
            "book_title": self.book_title,
            "editors": ", ".join(self.editors),
            "edition": self.edition,
            "publisher": self.publisher,
            # An article is found by its journal and identifiers; an address is kept for the
            # types read online, where AMA cites it.
            "url": self.url if self.kind != "article" else "",
            "accessed": date.fromisoformat(self.accessed) if self.accessed else None,
            "retracted": bool(self.retraction_notice),
            "retraction_notice": self.retraction_notice,
        }


def _names(names) -> list[str]:
    names = (" ".join(strip_invisible(name).split()) for name in names or [])
    return [name for name in names if name]


def expand_page_range(pages: str) -> str:
    """MEDLINE's “2475-83” written out as AMA wants it: “2475-2483”. Other text is kept."""
    pages = re.sub(r"\s*-\s*", "-", pages) if re.match(r"^\w+\s*-\s*\w+", pages) else pages
    match = _PAGE_RANGE.match(pages)
    if not match:
        return pages
    first, last = match["first"], match["last"]
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    prefix = match["prefix"]
    return f"{prefix}{first}-{prefix}{last}{match['rest']}"


def _strip_final_period(title: str) -> str:
    # “Proof-of-concept.” loses its period; “Does it work?” and “[Translated title].” keep theirs.
    return title[:-1].rstrip() if title.endswith(".") and not title.endswith("..") else title
