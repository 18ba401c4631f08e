"""Small readers shared by the importers."""

import re
from datetime import date

from references.errors import ImportFormatError
from references.formatting import MONTHS

YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
PMID_IN_TEXT = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.IGNORECASE)
PMCID_IN_TEXT = re.compile(r"\b(PMC\d{1,9})\b", re.IGNORECASE)
PUBMED_URL = re.compile(
    r"pubmed\.ncbi\.nlm\.nih\.gov/(\d{1,9})|ncbi\.nlm\.nih\.gov/pubmed/(\d{1,9})"
)


def year_in(*texts) -> int | None:
    for text in texts:
        match = YEAR.search(str(text or ""))
        if match:
            return int(match.group(1))
    return None


def first(*values) -> str:
    """The first value that is not empty; a list gives its first item."""
    for value in values:
        if isinstance(value, list | tuple):
            value = next((item for item in value if item), "")
        if value:
            return str(value)
    return ""


def pmid_in(*texts) -> str:
    for text in texts:
        text = str(text or "")
        match = PMID_IN_TEXT.search(text) or PUBMED_URL.search(text)
        if match:
            return next(group for group in match.groups() if group)
    return ""


def pmcid_in(*texts) -> str:
    for text in texts:
        match = PMCID_IN_TEXT.search(str(text or ""))
        if match:
            return match.group(1)
    return ""


def require_title_and_year(references):
    """Every record needs a title and a year: without them there is nothing to cite."""
    problems = []
    for ref in references:
        missing = [name for name in ("title", "year") if not getattr(ref, name)]
        if missing:
            problems.append(f"{ref.where}: no {' and no '.join(missing)} found.")
    if problems:
        raise ImportFormatError(*problems)
    return references


def lines_of(text: str) -> list[str]:
    return (text or "").lstrip("\ufeff").splitlines()


_MONTHS = {name[:3].lower(): number for number, name in enumerate(MONTHS, start=1)}
_DATE_SHAPES = [
    re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3,9})\.?\s+(?P<year>\d{4})$"),
    re.compile(r"^(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})$"),
    re.compile(r"^(?P<year>\d{4})\s+(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})$"),
    re.compile(r"^(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})$"),
]


def date_in(text: str) -> str:
    """An access date as written in a citation (“15 Nov 2020”, “November 15, 2020”,
    “2020 Nov 15”, “2020-11-15”) in ISO form, or "" when it is not a whole date."""
    text = " ".join((text or "").replace("cited", "").split()).strip(" .[]")
    for shape in _DATE_SHAPES:
        match = shape.match(text)
        if not match:
            continue
        month = match["month"]
        month = int(month) if month.isdigit() else _MONTHS.get(month[:3].lower())
        try:
            return date(int(match["year"]), month or 0, int(match["day"])).isoformat()
        except ValueError:
            return ""
    return ""
