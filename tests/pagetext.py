"""Reading a page as a visitor does: its visible text, and the sentences of the seed page."""

import re
from html.parser import HTMLParser
from pathlib import Path

SEED_PAGE = Path(__file__).parent / "data" / "treatment-resistant-ocd.page.txt"
_INVISIBLE = {"head", "script", "style", "template"}
_SUPERSCRIPTS = str.maketrans("", "", "¹²³⁴⁵⁶⁷⁸⁹⁰")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        # Citation numbers are checked on their own; the seed shows them as ¹ ² ³.
        if tag in _INVISIBLE or (tag == "sup" and ("class", "citation") in attrs):
            self._hidden += 1
        elif tag in {"p", "li", "h1", "h2", "h3", "div", "section", "br", "td", "th"}:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _INVISIBLE or (tag == "sup" and self._hidden):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def squeeze(text: str) -> str:
    """Text compared without whitespace, superscripts or typographic quotes."""
    return re.sub(r"\s+", "", text.translate(_SUPERSCRIPTS).translate(_QUOTES))


def seed_sentences() -> list[str]:
    sentences = []
    for line in SEED_PAGE.read_text(encoding="utf-8").splitlines():
        line = re.sub(r"^\s*(?:•|\d+\.)\s*", "", line).strip()
        sentences += [s for s in re.split(r"(?<=[.!?])\s+", line) if s.strip()]
    return sentences
