"""The one HTML sanitizer. Every piece of HTML that reaches a page or the API passes through here.

This module is the only importer of bleach and nh3: what HTML survives is decided in one place,
and so is the one block of data a page embeds in a script element (JSON-LD).
Two passes with the same allowlist: bleach, which the project standardised on, then nh3 (the
Rust ammonia library), which is still maintained now that bleach's releases have ended, so a
parser bug in either one alone does not reach a page.
"""

import html
import json
import re

import bleach
import nh3
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "em",
        "h3",
        "h4",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)

ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "class", "id", "aria-label"],
    "abbr": ["title"],
    "sup": ["class"],
    "ol": ["start"],
    "th": ["scope"],
}

# Attributes allowed only with these values: a header cell heads its column or its row.
ALLOWED_ATTRIBUTE_VALUES = {"th": {"scope": frozenset({"col", "row"})}}

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Elements whose content is code or chrome, not text: dropped whole rather than unwrapped,
# so "<script>alert(1)</script>" leaves nothing behind.
_DROPPED_WITH_CONTENT = (
    "script",
    "style",
    "template",
    "noscript",
    "iframe",
    "object",
    "svg",
    "math",
)


def _bleach_attribute_allowed(tag: str, name: str, value: str) -> bool:
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    values = ALLOWED_ATTRIBUTE_VALUES.get(tag, {}).get(name)
    return values is None or value in values


_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_bleach_attribute_allowed,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)
_text_cleaner = bleach.sanitizer.Cleaner(tags=set(), attributes={}, strip=True, strip_comments=True)


def sanitize_html(fragment: str) -> str:
    """Return fragment with everything outside the allowlist removed."""
    return _second_pass(_cleaner.clean(_drop_unsafe_elements(fragment or "")))


def _second_pass(fragment: str) -> str:
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={
            tag: set(names) - set(ALLOWED_ATTRIBUTE_VALUES.get(tag, {}))
            for tag, names in ALLOWED_ATTRIBUTES.items()
        },
        tag_attribute_values={
            tag: {name: set(values) for name, values in limited.items()}
            for tag, limited in ALLOWED_ATTRIBUTE_VALUES.items()
        },
        url_schemes=set(ALLOWED_PROTOCOLS),
        clean_content_tags=set(_DROPPED_WITH_CONTENT),
        strip_comments=True,
        link_rel=None,
    )


def html_to_text(fragment: str) -> str:
    """Return the visible text of an HTML fragment as plain, unescaped text."""
    stripped = _text_cleaner.clean(_drop_unsafe_elements(fragment or ""))
    return " ".join(html.unescape(stripped).split())


_UNSAFE_ELEMENT = re.compile(
    rf"<({'|'.join(_DROPPED_WITH_CONTENT)})\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL
)


def _drop_unsafe_elements(fragment: str) -> str:
    # Repeat until nothing changes: "<scr<script></script>ipt>" must not rebuild a script.
    while True:
        stripped = _UNSAFE_ELEMENT.sub("", fragment)
        if stripped == fragment:
            return stripped
        fragment = stripped


# Escapes that keep JSON inert inside a script element, as Django's json_script does: no text
# can close the element, open a comment or start a character reference.
_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data) -> SafeString:
    """data as a JSON-LD script element: data, not markup, so no allowlist applies; the escapes
    above are what keep every string of it inside the element."""
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
