"""Page furniture in a reference list copied from a PDF: running headers, footers, page numbers.

A line is furniture when it repeats (page by page, its numbers aside), when it reads like a
journal's running title (“ICNS INNOVATIONS IN CLINICAL NEUROSCIENCE Fall 2021 • Volume 18 •
Number 10–12”, “Page 10 of 12”, “Downloaded from …”), or when it is written in capitals only,
like a journal's name in a header. A reference's own lines are none of these: they carry its
source, and a wrapped line of a title is not repeated word for word with a page's number.
The list reader also skips text between references that starts no author list and carries no
source (see vancouver.py).
"""

import re
from collections import Counter

from references.importers.common import lines_of

_RUNNING_TITLE = re.compile(
    r"\bvol(?:ume|\.)?\s*\d+\b.*\b(?:number|issue|no\.)\s*\d+"
    r"|\bpage\s+\d+(?:\s+of\s+\d+)?\s*$"
    # Elsevier's “Journal of Psychiatric Research 130 (2020) 45–52”; “J Clin Psychiatry 81:3,
    # May/June 2020”: a journal's running head, never a line of a Vancouver or AMA reference.
    r"|^[A-Z][^.;:()]{2,80}\s\d{1,4}\s\((?:19|20)\d{2}\)\s\w*\d[\w\u2013-]*\s*$"
    r"|^[A-Z][^.;:()]{2,80}\s\d{1,4}:\d{1,3},\s+[A-Z][a-z]+(?:/[A-Z][a-z]+)?\s+(?:19|20)\d{2}\s*$"
    r"|\bdownloaded\s+from\b|\bauthor\s+manuscript\b|\ball\s+rights\s+reserved\b|©|\s[•|]\s",
    re.IGNORECASE,
)
_SOURCE_LIKE = re.compile(r"(?:19|20)\d{2}[a-z]?\s*[;:]|\bAccessed\b|https?://")
_BARE_SOURCE = re.compile(
    r"^[A-Z][A-Za-z ()&]{1,60}\.\s+(?:19|20)\d{2}[^;]{0,20};"
    r"\s*\d+(?:\([^)]*\))?:\s*[\w\-\u2013]+\.?$"
)
_NUMBER_ONLY = re.compile(r"^\s*\[?\d{1,3}[.)\]]?\s*$")
_MIN_REPEATED_LENGTH = 8


def furniture_lines(text_or_lines) -> set[int]:
    """The numbers (from 1) of the lines that are page furniture, not reference text."""
    lines = lines_of(text_or_lines) if isinstance(text_or_lines, str) else text_or_lines
    keys = [_key(line) for line in lines]
    counts = Counter(key for key in keys if len(key) >= _MIN_REPEATED_LENGTH)
    return {
        number
        for number, (line, key) in enumerate(zip(lines, keys, strict=True), start=1)
        if _is_furniture(line, counts[key] > 1)
    }


def is_bare_source(line: str) -> bool:
    """“Innov Clin Neurosci. 2021;18(10–12):9–11”: a journal's running title, a source with
    no reference before it."""
    return bool(_BARE_SOURCE.match(line.strip()))


def _is_furniture(line: str, repeated: bool) -> bool:
    text = line.strip()
    if not text or _NUMBER_ONLY.match(text):
        return False
    if _SOURCE_LIKE.search(text):
        # Two references do not end on the same source line: a repeated one is a running head.
        return repeated and is_bare_source(text)
    # A repeated line that ends like a piece of a sentence is a title's wrapped line.
    repeated = repeated and not text.endswith((".", ",", ";", ":", "-"))
    return repeated or bool(_RUNNING_TITLE.search(text)) or _in_capitals(text)


def _in_capitals(text: str) -> bool:
    # “ICNS”: a header's capitals; a journal cut at a line end keeps its period (“JAMA.”).
    letters = [char for char in text if char.isalpha()]
    return len(letters) >= 2 and text.upper() == text and not text.endswith((".", ",", "-"))


def _key(line: str) -> str:
    """The line as it repeats from page to page: case, spacing and numbers aside."""
    return " ".join(re.sub(r"\d+", "#", line.casefold()).split())
