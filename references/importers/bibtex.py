"""BibTeX and BibLaTeX, read by bibtexparser and its middlewares.

The parse stack, in order: ``@string`` macros and their ``#`` concatenations resolved, enclosing
braces and quotes removed, co-authors separated and each name split into its parts (so a braced
corporate author, ``{World Health Organization}``, stays one family name), and only then LaTeX
decoded, accents and ``$…$`` math included (``$\\beta$`` gives “β”).
"""

import logging

import bibtexparser
from bibtexparser import middlewares
from bibtexparser.exceptions import PartialMiddlewareException
from bibtexparser.model import MiddlewareErrorBlock
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from references.errors import ImportFormatError
from references.importers.bibtex_strings import ConcatenatedStringsMiddleware
from references.importers.common import (
    date_in,
    first,
    pmcid_in,
    pmid_in,
    require_title_and_year,
    year_in,
)
from references.importers.names import vancouver_name
from references.importers.parsed import ParsedReference

_KINDS = {"book": "book", "inbook": "chapter", "incollection": "chapter", "online": "web"}
_KINDS |= {"phdthesis": "thesis", "mastersthesis": "thesis", "thesis": "thesis"}


def _latex_decoder() -> LatexNodes2Text:
    """bibtexparser's own decoder settings (\\url bare), with math written as text."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "tovani-bibtex", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")]
    )
    return LatexNodes2Text(latex_context=context, keep_braced_groups=False, math_mode="text")


class _LatexDecodingWithNames(middlewares.LatexDecodingMiddleware):
    """LaTeX decoding that also reaches split names, which bibtexparser 2.1 holds as a list of
    NameParts and its own middleware passes over: decoded after splitting, a braced corporate
    author stays whole and loses its braces."""

    def transform_entry(self, entry, library):
        errors = []
        for field in entry.fields:
            if isinstance(field.value, list):
                for parts in field.value:
                    for attribute in ("first", "von", "last", "jr"):
                        strings = getattr(parts, attribute)
                        setattr(parts, attribute, self._transform_all_strings(strings, errors))
        errors = [error for error in errors if error]
        if errors:
            return MiddlewareErrorBlock(block=entry, error=PartialMiddlewareException(errors))
        return super().transform_entry(entry, library)


_PARSE_STACK = [
    ConcatenatedStringsMiddleware(),
    middlewares.RemoveEnclosingMiddleware(),
    middlewares.SeparateCoAuthors(),
    middlewares.SplitNameParts(),
    _LatexDecodingWithNames(decoder=_latex_decoder()),
]


def parse_bibtex(text: str) -> list[ParsedReference]:
    # bibtexparser logs each entry it cannot read; they are reported in the error instead.
    logging.getLogger("bibtexparser").setLevel(logging.ERROR)
    library = bibtexparser.parse_string(text, parse_stack=_PARSE_STACK)
    if library.failed_blocks:
        raise ImportFormatError(*(_failure(block) for block in library.failed_blocks))
    references = [
        _reference(entry, number) for number, entry in enumerate(library.entries, start=1)
    ]
    if not references:
        raise ImportFormatError("No BibTeX entry found: an entry starts like “@article{key,”.")
    return require_title_and_year(references)


def _failure(block) -> str:
    error = getattr(block, "error", None)
    reason = (getattr(error, "abort_reason", "") or str(error or "")).strip()
    reason = f": {reason}" if reason else "."
    return f"Line {block.start_line + 1}: this BibTeX entry could not be read{reason}"


def _reference(entry, number: int) -> ParsedReference:
    value = {key.lower(): field.value for key, field in entry.fields_dict.items()}
    text = {key: item for key, item in value.items() if isinstance(item, str)}
    notes = [text.get("note"), text.get("annote"), text.get("extra"), text.get("url")]
    kind = _KINDS.get(entry.entry_type.lower(), "article")
    if kind == "article" and text.get("url") and not text.get("journal"):
        kind = "web"  # @misc or @online with an address and no journal
    return ParsedReference(
        kind=kind,
        authors=[_name(name) for name in value.get("author", [])],
        title=text.get("title", ""),
        journal=first(text.get("shortjournal"), text.get("journal"), text.get("journaltitle")),
        book_title=text.get("booktitle", "") if kind == "chapter" else "",
        editors=[_name(name) for name in value.get("editor", [])]
        if isinstance(value.get("editor"), list)
        else [],
        edition=text.get("edition", ""),
        publisher=first(
            text.get("publisher"),
            text.get("school"),
            text.get("institution"),
            text.get("organization"),
        ),
        accessed=date_in(text.get("urldate")),
        year=year_in(text.get("year"), text.get("date")),
        volume=text.get("volume", ""),
        issue=first(text.get("number"), text.get("issue")),
        pages=text.get("pages", ""),
        pmid=_pmid(text, notes),
        doi=text.get("doi", ""),
        pmcid=first(text.get("pmcid"), pmcid_in(*notes)),
        url=text.get("url", ""),
        record=number,
        line=entry.start_line + 1,
    )


def _name(parts) -> str:
    if isinstance(parts, str):  # a name SplitNameParts could not split
        return parts
    family = " ".join([*parts.von, *parts.last])
    return vancouver_name(family, " ".join(parts.first))


def _pmid(text, notes) -> str:
    if text.get("eprinttype", "").lower() == "pubmed" and text.get("eprint", "").isdigit():
        return text["eprint"]
    return first(text.get("pmid"), pmid_in(*notes))
