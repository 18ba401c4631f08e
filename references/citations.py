"""Pandoc-style citations in editor Markdown: ``[@key]`` or ``[@adams2017; @hirschtritt2017]``.

A page numbers its references by first appearance: the builder walks the page's text fields in
reading order through one CitationNumbering, so the first key met is 1, the next new one 2.
"""

import difflib
import re

from django.core.exceptions import ValidationError

from references.validators import CITEKEY_PATTERN

_KEY = rf"@({CITEKEY_PATTERN})"
CITATION_GROUP = re.compile(r"\[\s*(" + _KEY + r"(?:\s*;\s*" + _KEY + r")*)\s*\]")
_KEY_IN_GROUP = re.compile(_KEY)
# In HTML the superscript sits against the word it follows: "text [@key]" reads "text¹".
_SPACED_GROUP = re.compile(r"[ \t]*" + CITATION_GROUP.pattern)


def citekeys_in(text: str) -> list[str]:
    """The citekeys a text cites, in order of first appearance, each once."""
    seen = {}
    for group in CITATION_GROUP.finditer(text or ""):
        for key in _KEY_IN_GROUP.findall(group.group(1)):
            seen.setdefault(key, None)
    return list(seen)


class CitationNumbering:
    """Assigns reference numbers by first appearance across all the texts of one page."""

    def __init__(self, known_keys):
        self.known_keys = set(known_keys)
        self.numbers: dict[str, int] = {}
        self.unknown: list[str] = []
        # How often each number has been linked so far: each link gets its own anchor, so a
        # reference can link back to every place that cites it.
        self.links: dict[int, int] = {}

    def number(self, key: str) -> int | None:
        if key not in self.known_keys:
            if key not in self.unknown:
                self.unknown.append(key)
            return None
        return self.numbers.setdefault(key, len(self.numbers) + 1)

    def to_html(self, text: str) -> str:
        """Replace each citation group with superscript links to the reference list."""
        return _SPACED_GROUP.sub(lambda m: self._group_html(m.group(1)), text or "")

    def to_text(self, text: str) -> str:
        """Replace each citation group with bracketed numbers, as in plain-text medical writing."""
        return CITATION_GROUP.sub(lambda m: self._group_text(m.group(1)), text or "")

    def anchors(self, number: int) -> list[str]:
        """The ids of the citation links to a reference, in reading order."""
        return [_anchor(number, k) for k in range(1, self.links.get(number, 0) + 1)]

    def numbers_in(self, text: str) -> list[int]:
        return [n for key in citekeys_in(text) if (n := self.number(key)) is not None]

    def _group_numbers(self, group: str) -> list[int | None]:
        return [self.number(key) for key in _KEY_IN_GROUP.findall(group)]

    def _group_html(self, group: str) -> str:
        links = [self._link(n) if n is not None else "?" for n in self._group_numbers(group)]
        return f'<sup class="citation">{",".join(links)}</sup>'

    def _link(self, n: int) -> str:
        self.links[n] = self.links.get(n, 0) + 1
        return (
            f'<a href="#ref-{n}" id="{_anchor(n, self.links[n])}" '
            f'aria-label="Reference {n}">{n}</a>'
        )

    def _group_text(self, group: str) -> str:
        numbers = [str(n) if n is not None else "?" for n in self._group_numbers(group)]
        return f"[{','.join(numbers)}]"


def _anchor(number: int, occurrence: int) -> str:
    return f"cite-{number}-{occurrence}"


def validate_citations(value: str):
    """Field validator: every cited key must name a reference in the library."""
    from references.models import Reference

    keys = citekeys_in(value)
    if not keys:
        return
    known = set(Reference.objects.filter(citekey__in=keys).values_list("citekey", flat=True))
    unknown = [key for key in keys if key not in known]
    if unknown:
        library = Reference.objects.values_list("citekey", flat=True)
        hints = "".join(_did_you_mean(key, library) for key in unknown)
        raise ValidationError(
            "No reference in the library has the citekey%(plural)s %(keys)s.%(hints)s "
            "Add the reference first, or correct the key.",
            code="unknown_citekey",
            params={
                "plural": "s" if len(unknown) > 1 else "",
                "keys": ", ".join(f"@{key}" for key in unknown),
                "hints": hints,
            },
        )


def nearest_citekeys(key: str, citekeys, limit: int = 3) -> list[str]:
    """The library's keys closest to a mistyped one, case aside: @Murrough2013 → murrough2013."""
    by_folded = {}
    for citekey in citekeys:
        by_folded.setdefault(citekey.casefold(), []).append(citekey)
    folded = key.casefold()
    if folded in by_folded:
        return by_folded[folded][:limit]
    close = difflib.get_close_matches(folded, list(by_folded), n=limit, cutoff=0.75)
    return [citekey for match in close for citekey in by_folded[match]][:limit]


def _did_you_mean(key: str, citekeys) -> str:
    nearest = nearest_citekeys(key, citekeys)
    if not nearest:
        return ""
    return f" For @{key}, did you mean {' or '.join(f'@{k}' for k in nearest)}?"


def replace_citekey(text: str, old: str, new: str) -> str:
    """The text with every @old inside a citation group written @new; nothing else changes."""

    def group(match):
        return _KEY_IN_GROUP.sub(
            lambda key: f"@{new}" if key.group(1) == old else key.group(0), match.group(0)
        )

    return CITATION_GROUP.sub(group, text or "")
