"""RIS, as reference managers export it. rispy reads the tags; this module finds the records,
so that a malformed file is reported by line."""

import re

import rispy

from references.errors import ImportFormatError
from references.importers.common import (
    date_in,
    first,
    lines_of,
    pmcid_in,
    pmid_in,
    require_title_and_year,
    year_in,
)
from references.importers.names import vancouver_from_text
from references.importers.parsed import ParsedReference

_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: |$)")
_NOTE_KEYS = ("notes", "note", "custom1", "custom2", "custom3", "research_notes", "unknown_tag")


def parse_ris(text: str) -> list[ParsedReference]:
    references = [
        _reference(rispy.loads("\n".join(block))[0], number, start)
        for number, (start, block) in enumerate(_records(lines_of(text)), start=1)
    ]
    if not references:
        raise ImportFormatError("No RIS record found: a record starts with a “TY  - ” line.")
    return require_title_and_year(references)


def _records(lines):
    """Each record as (its first line number, its lines), checking TY … ER pairs."""
    start, block = None, []
    for number, line in enumerate(lines, start=1):
        tag = _TAG.match(line)
        tag = tag.group(1) if tag else None
        if start is None:
            if tag == "TY":
                start, block = number, [line]
            elif line.strip():
                raise ImportFormatError(
                    f"Line {number}: expected a record to start with “TY  - ”, found “{line[:60]}”."
                )
            continue
        if tag == "TY":
            raise ImportFormatError(
                f"Line {number}: a new record starts before the record of line {start} ended "
                "with “ER  - ”."
            )
        block.append(line)
        if tag == "ER":
            yield start, block
            start, block = None, []
    if start is not None:
        raise ImportFormatError(f"The record of line {start} never ends: no “ER  - ” line follows.")


# RIS reference types (TY) and the library's: anything else is read as a journal article.
_KINDS = {"BOOK": "book", "EBOOK": "book", "EDBOOK": "book", "CHAP": "chapter"}
_KINDS |= {"ECHAP": "chapter", "THES": "thesis", "ELEC": "web", "WEB": "web", "BLOG": "web"}


def _reference(data: dict, number: int, line: int) -> ParsedReference:
    notes = [data.get(key) for key in _NOTE_KEYS]
    urls = data.get("urls") or []
    kind = _KINDS.get(first(data.get("type_of_reference")).upper(), "article")
    container = first(data.get("secondary_title"), data.get("alternate_title3"))
    return ParsedReference(
        kind=kind,
        authors=[vancouver_from_text(name) for name in _authors(data)],
        title=first(data.get("title"), data.get("primary_title")),
        journal=(
            first(
                data.get("alternate_title2"),  # JA: standard abbreviation
                data.get("alternate_title1"),  # J2: abbreviation, as Zotero writes it
                data.get("journal_name"),
                container,
            )
            if kind == "article"
            else ""
        ),
        book_title=container if kind == "chapter" else "",
        editors=[vancouver_from_text(name) for name in data.get("secondary_authors") or []]
        if kind == "chapter"
        else [],
        edition=first(data.get("edition")),
        publisher=first(data.get("publisher"), container if kind == "web" else ""),
        accessed=date_in(first(data.get("access_date"))),
        year=year_in(data.get("year"), data.get("publication_year"), data.get("date")),
        volume=first(data.get("volume")),
        issue=first(data.get("number")),
        pages=_pages(data),
        pmid=_pmid(data, notes, urls),
        doi=first(data.get("doi")),
        pmcid=pmcid_in(*notes, data.get("custom2"), *urls),
        url=first(urls),
        record=number,
        line=line,
    )


def _authors(data):
    return data.get("authors") or data.get("first_authors") or []


def _pages(data) -> str:
    start, end = first(data.get("start_page")), first(data.get("end_page"))
    return f"{start}-{end}" if start and end and "-" not in start else start


def _pmid(data, notes, urls) -> str:
    accession = first(data.get("accession_number")).strip()
    if accession.isdigit():
        return accession
    return pmid_in(*notes, *urls)
