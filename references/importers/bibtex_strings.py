"""BibTeX ``#`` concatenation of ``@string`` macros, quoted and braced parts, as a middleware.

bibtexparser 2.1 reads the ``@string`` blocks and resolves a field that is one whole macro
(``journal = jama``), but leaves an expression such as ``jama # " " # psy`` as its raw text.
This middleware takes its place at the head of bibtexparser's parse stack: it evaluates each
expression from the library's own ``strings_dict`` and hands the result on brace-enclosed, so
bibtexparser's ``RemoveEnclosingMiddleware`` and LaTeX decoding treat it as any braced value.
"""

import re

from bibtexparser.library import Library
from bibtexparser.middlewares import ResolveStringReferencesMiddleware

# A part of an expression: "quoted" (no unescaped quote inside), {braced} (balanced, checked
# below), a number, or a macro name.
_PART = re.compile(r'\s*(?:"((?:[^"\\]|\\.)*)"|(\{.*\})|(\d+)|([^\s#"{}]+))\s*$', re.S)


class ConcatenatedStringsMiddleware(ResolveStringReferencesMiddleware):
    """Resolve macros and ``#`` concatenations in fields, through ``@string`` definitions."""

    @classmethod
    def metadata_key(cls) -> str:
        return "ResolveConcatenatedStrings"

    def transform(self, library: Library) -> Library:
        macros = {key.lower(): string.value for key, string in library.strings_dict.items()}
        for entry in library.entries:
            for field in entry.fields:
                if isinstance(field.value, str) and _is_expression(field.value):
                    value = evaluate(field.value, macros)
                    if value is not None:
                        field.value = "{" + value + "}"
        return super().transform(library)


def evaluate(expression: str, macros: dict[str, str], depth: int = 0) -> str | None:
    """The text of a BibTeX value expression, or None when a part is unknown or malformed."""
    if depth > 20:  # a macro defined through itself
        return None
    pieces = []
    for part in _split_on_hash(expression):
        match = _PART.match(part)
        if not match:
            return None
        quoted, braced, number, name = match.groups()
        if braced is not None:
            pieces.append(braced[1:-1])
        elif name is not None:
            if name.lower() not in macros:
                return None
            resolved = evaluate(macros[name.lower()], macros, depth + 1)
            if resolved is None:
                return None
            pieces.append(resolved)
        else:
            pieces.append(quoted if quoted is not None else number)
    return "".join(pieces)


def _is_expression(value: str) -> bool:
    """A concatenation, or one macro name (whose definition may be a concatenation)."""
    parts = _split_on_hash(value)
    return len(parts) > 1 or bool((match := _PART.match(parts[0])) and match.group(4))


def _split_on_hash(value: str) -> list[str]:
    """The parts between ``#`` signs outside braces and quotes."""
    parts, current, depth, quoted, escaped = [], [], 0, False, False
    for char in value:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts
