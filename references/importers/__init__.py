"""Importers: each reads one format into ParsedReference records; saving.save_imported() is the
one function that puts them in the library (deduplicated, atomic, in one revision)."""

import re
from pathlib import PurePath

from references.errors import ImportFormatError
from references.importers.bibtex import parse_bibtex
from references.importers.medline import parse_medline
from references.importers.parsed import ParsedReference
from references.importers.ris import parse_ris
from references.importers.vancouver import parse_vancouver

PARSERS = {
    "ris": parse_ris,
    "bibtex": parse_bibtex,
    "medline": parse_medline,
    "vancouver": parse_vancouver,
}
FORMAT_CHOICES = [
    ("ris", "RIS (.ris)"),
    ("bibtex", "BibTeX (.bib)"),
    ("medline", "MEDLINE / PubMed (.nbib)"),
    ("vancouver", "Numbered reference list (Vancouver / NLM style)"),
]
_EXTENSIONS = {
    ".ris": "ris",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".nbib": "medline",
    ".medline": "medline",
}

__all__ = ["FORMAT_CHOICES", "PARSERS", "ParsedReference", "detect_format", "parse_references"]


def detect_format(text: str, filename: str = "") -> str:
    """The format by the file's extension, else by how the text begins."""
    by_extension = _EXTENSIONS.get(PurePath(filename or "").suffix.lower())
    if by_extension:
        return by_extension
    start = (text or "").lstrip("\ufeff \t\r\n")
    if re.match(r"^TY  -", start):
        return "ris"
    if re.match(r"^@\w+\s*[{(]", start) or re.search(r"(?m)^\s*@article\s*\{", start):
        return "bibtex"
    if re.match(r"^PMID- ", start):
        return "medline"
    return "vancouver"


def parse_references(text: str, fmt: str | None = None, filename: str = "") -> list:
    """Parse text in the named format (or the detected one). Raises ImportFormatError."""
    fmt = fmt or detect_format(text, filename)
    if fmt not in PARSERS:
        raise ImportFormatError(f"Unknown format “{fmt}”: use one of {', '.join(PARSERS)}.")
    return PARSERS[fmt](text)
