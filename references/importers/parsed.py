"""ParsedReference: one reference as an importer read it, before it meets the library."""

import re
from dataclasses import asdict, dataclass, field, fields

from references.validators import normalize_doi, normalize_pmcid

_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-"})
_PAGE_RANGE = re.compile(
    r"^(?P<prefix>[A-Za-z]*)(?P<first>\d+)-(?P=prefix)?(?P<last>\d+)(?P<rest>(?:[;,]\s*.*)?)$"
)


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
    # Where the reference was in the input, for messages: its position and first line.
    record: int = 0
    line: int | None = None
    # What the importer could not read, said plainly; shown with the preview.
    notes: list[str] = field(default_factory=list)

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
        self.authors = [" ".join(name.split()) for name in self.authors if name and name.strip()]
        for name in ("title", "journal", "volume", "issue", "pmid", "url", "retraction_notice"):
            setattr(self, name, " ".join((getattr(self, name) or "").split()))
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
            "authors": ", ".join(self.authors),
            "title": self.title,
            "journal": self.journal,
            "year": self.year,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "pmid": self.pmid,
            "doi": self.doi,
            "pmcid": self.pmcid,
            "retracted": bool(self.retraction_notice),
            "retraction_notice": self.retraction_notice,
        }


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
