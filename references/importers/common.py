"""Small readers shared by the importers."""

import re

from references.errors import ImportFormatError

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
