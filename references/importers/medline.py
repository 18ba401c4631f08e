"""MEDLINE, PubMed's own export (.nbib, .txt): “TAG - value” lines, continued by six spaces.

No maintained parser exists on the package index, and the format is small: this module reads
the tags the library needs and reports any line that is neither a tag nor a continuation.
"""

import re

from references.errors import ImportFormatError
from references.importers.common import first, lines_of, require_title_and_year, year_in
from references.importers.parsed import ParsedReference

_TAG = re.compile(r"^([A-Z][A-Z0-9 ]{3})-(?: (.*))?$")
_CONTINUATION = re.compile(r"^ {2,}(\S.*)$")
_DOI = re.compile(r"^(\S+)\s*\[doi\]$")


def parse_medline(text: str) -> list[ParsedReference]:
    references = [
        _reference(tags, number, start)
        for number, (start, tags) in enumerate(_records(lines_of(text)), start=1)
    ]
    if not references:
        raise ImportFormatError("No MEDLINE record found: a record starts with a “PMID- ” line.")
    return require_title_and_year(references)


def _records(lines):
    """Each record as (its first line number, its tags as name → list of values)."""
    start, tags, last = None, {}, None
    for number, line in enumerate(lines, start=1):
        tag = _TAG.match(line)
        name = tag.group(1).strip() if tag else None
        if start is not None and (not line.strip() or name == "PMID"):
            yield start, tags  # a blank line or the next PMID ends a record
            start, tags, last = None, {}, None
        if not line.strip():
            continue
        if tag:
            start = start or number
            last = tags.setdefault(name, [])
            last.append((tag.group(2) or "").strip())
        elif (more := _CONTINUATION.match(line)) and last is not None:
            last[-1] = f"{last[-1]} {more.group(1).strip()}"
        else:
            raise ImportFormatError(
                f"Line {number}: “{line[:60]}” is neither a MEDLINE tag line such as "
                "“TI  - title” nor the indented continuation of one."
            )
    if start is not None:
        yield start, tags


def _reference(tags: dict, number: int, line: int) -> ParsedReference:
    one = {name: values[0] for name, values in tags.items()}
    types = tags.get("PT", [])
    return ParsedReference(
        authors=tags.get("AU", []),
        title=one.get("TI", ""),
        journal=first(one.get("TA"), one.get("JT")),
        year=year_in(one.get("DP"), one.get("DEP")),
        volume=one.get("VI", ""),
        issue=one.get("IP", ""),
        pages=one.get("PG", ""),
        pmid=one.get("PMID", ""),
        doi=_doi(tags),
        pmcid=one.get("PMC", ""),
        retraction_notice=(
            "PubMed lists this article as a retracted publication."
            if "Retracted Publication" in types
            else ""
        ),
        record=number,
        line=line,
    )


def _doi(tags) -> str:
    for value in [*tags.get("LID", []), *tags.get("AID", [])]:
        match = _DOI.match(value)
        if match:
            return match.group(1)
    return ""
