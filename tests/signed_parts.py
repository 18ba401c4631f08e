"""Walks the source a physician signs and finds each part in a rendering of the page.

A rendering "shows" a part when the part's words appear in it, in order: Markdown as typed is
compared with the words a reader gets (citations, emphasis and link targets aside), a choice
stored as a code with the label readers see, a flag with the words that state it.
"""

import json
import re

from conditions.models import IndicationStatus, LineOfTherapy, TreatmentKind
from tests.pagetext import visible_text

# Members that say what the source is, not what a page says.
ABOUT_THE_SOURCE = {("schema",), ("kind",)}

_LABELS = {
    "line": dict(LineOfTherapy.choices),
    "clinic_indication_status": dict(IndicationStatus.choices),
}
_KINDS = dict(TreatmentKind.choices)
_CITATION = re.compile(r"\[@[^\]]*\]|\[\d+(?:\s*[,–-]\s*\d+)*\]")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_WORD = re.compile(r"\w+")


def parts(source, path=()) -> list[tuple[tuple, object]]:
    """Every leaf of the source with its path: each key, and each item of each list."""
    if isinstance(source, dict):
        return [leaf for key, value in source.items() for leaf in parts(value, (*path, key))]
    if isinstance(source, list):
        return [leaf for n, value in enumerate(source) for leaf in parts(value, (*path, n))]
    return [(path, source)]


def shown_as(path, value, *, codes=False, unshown=None) -> str:
    """The words a reader is given for one part of the source; with codes, a choice as the code
    a program reads (JSON) rather than its label."""
    name = path[-1]
    if name == "kind" and "treatments" in path:
        return value if codes else _KINDS[value]
    if name in _LABELS:
        return value if codes else _LABELS[name][value]
    if name == "lookup_only":
        return "lookup only" if value else ""
    if name == "authors" and "references" in path:
        return cited_authors(value)
    if name == "html":
        return visible_text(value)
    return str(value)


def words(text: str) -> str:
    text = _LINK_TARGET.sub("]", _CITATION.sub(" ", text))
    return " " + " ".join(_WORD.findall(text.replace("_", " ").lower())) + " "


def cited_authors(authors: str) -> str:
    """The authors a citation names: all of up to six, else the first three (AMA 11th ed.)."""
    names = [name.strip() for name in authors.split(",") if name.strip()]
    return ", ".join(names if len(names) <= 6 else names[:3])


def missing(source: dict, rendering: str, *, codes=False, unshown=None) -> list[str]:
    """The paths of the source's parts whose words the rendering does not hold. unshown(path,
    source) says which parts a rendering leaves out by design."""
    found = words(rendering)
    return [
        "/".join(map(str, path))
        for path, value in parts(source)
        if path not in ABOUT_THE_SOURCE
        and not (unshown and unshown(path, source))
        and (needle := words(shown_as(path, value, codes=codes))).strip()
        and needle not in found
    ]


def html_text(html: str) -> str:
    """What a reader of an HTML page reads, with the addresses its links lead to."""
    hrefs = " ".join(re.findall(r'href="([^"]*)"', html))
    return visible_text(html) + " " + hrefs


def json_text(body: bytes) -> str:
    """Every string and number of a JSON answer, in order, as a partner's program reads it; a
    flag that is set reads as its name."""
    return " ".join(
        path[-1] if value is True else str(value)
        for path, value in parts(json.loads(body))
        if value not in (None, False)
    )
