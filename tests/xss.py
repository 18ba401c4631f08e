"""The hostile-input corpus and a checker that finds anything live in HTML built from it."""

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

CORPUS = [
    line
    for line in (Path(__file__).parent / "data" / "xss-corpus.txt").read_text().splitlines()
    if line.strip()
]

FORBIDDEN_ELEMENTS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "base", "link", "meta",
    "form", "button", "input", "template", "noscript", "img", "details", "frame", "frameset",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster"}
_IGNORED_IN_URL = re.compile(r"[\x00-\x20]+")


class _LiveMarkup(HTMLParser):
    def __init__(self, allowed_elements):
        super().__init__(convert_charrefs=True)
        self.allowed = allowed_elements
        self.found = []
        self._in_data_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_data_script = True
        elif tag in FORBIDDEN_ELEMENTS and tag not in self.allowed:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = html.unescape(value or "")
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES:
                scheme = _IGNORED_IN_URL.sub("", value).lower()
                if scheme.startswith(("javascript:", "vbscript:", "data:")):
                    self.found.append(f"<{tag} {name}={value!r}>")
            if name == "style" and re.search(r"expression|javascript|url\(", value, re.I):
                self.found.append(f"<{tag} style={value!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_data_script = False

    def handle_data(self, data):
        if self._in_data_script:
            json.loads(data)  # a data block that does not parse was broken out of


def live_markup(page_html: str, allowed_elements=frozenset()) -> list[str]:
    """Every element, attribute or URL in the HTML that could run script."""
    parser = _LiveMarkup(allowed_elements)
    parser.feed(page_html)
    parser.close()
    return parser.found
