"""A numbered reference list in Vancouver (NLM) style, as pasted from a paper:

    1. Hirschtritt ME, Bloch MH, Mathews CA. Obsessive-compulsive disorder: advances in
       diagnosis and treatment. JAMA. 2017;317(13):1358–1367.

Text copied from a PDF brings its own damage, which this module repairs:

- entry numbers detached from their entries, on lines of their own, sometimes in the middle of
  an entry: a line holding only a number is ignored unless it finishes a page range
  (“1310–” then “1325.”), and entries are numbered in the order they come;
- ligatures split by spaces: “eff ects”, “defi nitions”, “Diffi  cult”;
- line breaks: after a hyphen the hyphen is kept (“placebo-” + “controlled”: reference titles
  break at compound words), after a dash or a slash the two lines join without a space.

An entry ends with the period after its “year;volume(issue):pages” source, or after
“Accessed <date>” for a document on the web.
"""

import re
from dataclasses import dataclass, field

from references.errors import ImportFormatError
from references.importers.common import lines_of
from references.importers.parsed import ParsedReference

_HEADING = re.compile(r"^\s*(references|bibliography|literature cited)\s*:?\s*$", re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"^\s*\[?\d{1,3}[.)\]]?\s*$")
_NUMBER_PREFIX = re.compile(r"^\s*\[?\d{1,3}[.)\]]\s+(?=\S)")
_SOURCE = re.compile(r"(?:19|20)\d{2}[a-z]?\s*;")
_ACCESSED = re.compile(r"\bAccessed\b[^.]*\d{4}\.$")
_JOINS_WITHOUT_SPACE = ("-", "\u2013", "\u2014", "/")
_UNFINISHED = ("-", "\u2013", "\u2014", ":", ";", ",")

# One author, “Rosa-Alcázar AI” or “Fernández de la Cruz L”: surname words, then initials.
_WORD = r"[^\W\d_][^\s,.;:\-]*"
_AUTHOR = rf"{_WORD}(?:[ \-]{_WORD})*\s[A-Z]{{1,4}}"
_AUTHORS = re.compile(
    rf"^(?P<authors>{_AUTHOR}(?:,\s+{_AUTHOR})*)(?P<et_al>,\s+et\s+al)?\.\s+(?P<rest>.+)$"
)
_AUTHOR_START = re.compile(rf"^{_AUTHOR}(?:,|\.\s)")
_GROUP_AUTHOR = re.compile(r"^(?P<authors>[^\d.]{3,120}?)\.\s+(?P<rest>.+)$")
_JOURNAL_SOURCE = re.compile(
    r"^(?P<head>.+?)\.\s+(?P<year>(?:19|20)\d{2})[a-z]?\s*;\s*(?P<tail>.+?)\.?$"
)
_WEB_SOURCE = re.compile(
    r"^(?P<title>.+?)\.\s+(?P<year>(?:19|20)\d{2})\.\s+Available (?:from|at):\s*(?P<url>\S+?)\.?"
    r"\s+Accessed (?P<accessed>[^.]+)\.?$"
)
_TITLE_AND_JOURNAL = re.compile(r"^(?P<title>.+[.?!\]])\s+(?P<journal>[^.?!]+)$")
_VOLUME_ISSUE_PAGES = re.compile(
    r"^(?P<volume>[^\s():;]+)?\s*(?:\((?P<issue>[^)]+)\))?\s*(?::\s*(?P<pages>.+))?$"
)

# A PDF splits the ligatures ff, fi, fl, ffi and ffl from the rest of the word: “eff ects”.
_SPLIT_LIGATURE = re.compile(r"\b([A-Za-z]*?(?:ff|fi|fl))\s+([a-z]+)\b")
_WORDS_ENDING_IN_LIGATURE = {
    "off", "staff", "stuff", "cliff", "cuff", "bluff", "sniff", "stiff", "tariff", "sheriff",
    "plaintiff", "cutoff", "tradeoff", "handoff", "layoff", "payoff", "playoff", "standoff",
    "takeoff", "spinoff", "hifi", "scifi", "wifi",
}  # fmt: skip
_SHORT_WORDS = {"a", "an", "and", "as", "at", "by", "et", "for", "in", "is", "of", "on", "or"}
_SHORT_WORDS |= {"the", "to", "with"}


@dataclass
class _Entry:
    number: int
    line: int
    lines: list[str] = field(default_factory=list)
    last_line: int = 0

    def add(self, line: str, number: int):
        self.lines.append(line)
        self.last_line = number

    @property
    def text(self) -> str:
        text = ""
        for line in self.lines:
            line = line.strip()
            text += line if not text or text.endswith(_JOINS_WITHOUT_SPACE) else f" {line}"
        return " ".join(text.split())

    def is_complete(self) -> bool:
        text = self.text
        return bool((_SOURCE.search(text) and text.endswith(".")) or _ACCESSED.search(text))

    def awaits_more(self) -> bool:
        return self.text.endswith(_UNFINISHED)


def parse_vancouver(text: str) -> list[ParsedReference]:
    entries = _entries(lines_of(text))
    if not entries:
        raise ImportFormatError("No reference found: paste a numbered list of references.")
    references, problems = [], []
    for entry in entries:
        try:
            references.append(_reference(entry))
        except ImportFormatError as error:
            problems += error.problems
    if problems:
        raise ImportFormatError(*problems)
    return references


def repair_ligatures(text: str) -> str:
    """“eff ects” → “effects”, “Diffi  cult” → “Difficult”; “off label” stays as it is."""

    def join(match):
        left, right = match.group(1), match.group(2)
        if left.lower() in _WORDS_ENDING_IN_LIGATURE or right in _SHORT_WORDS:
            return match.group(0)
        return left + right

    return _SPLIT_LIGATURE.sub(join, text)


def _entries(lines) -> list[_Entry]:
    entries, current = [], None
    for number, line in enumerate(lines, start=1):
        if not line.strip() or (not entries and current is None and _HEADING.match(line)):
            continue
        if _NUMBER_ONLY.match(line) and not (current and current.awaits_more()):
            continue  # an entry number the PDF detached from its entry
        line = _NUMBER_PREFIX.sub("", line)
        if current is not None and _starts_next_entry(current, line):
            entries.append(current)
            current = None
        if current is None:
            current = _Entry(number=len(entries) + 1, line=number)
        current.add(line, number)
        if current.is_complete():
            entries.append(current)
            current = None
    if current is not None:
        if not _SOURCE.search(current.text):
            raise ImportFormatError(
                f"Lines {current.line}–{current.last_line} (“{_clip(current.text)}”) do not end a "
                "reference: no “year;volume(issue):pages” source follows them. Remove page "
                "headers or footers copied with the list, or complete the entry."
            )
        entries.append(current)
    return entries


def _starts_next_entry(current: _Entry, line: str) -> bool:
    # An entry whose source lacks its final period ends where the next author list begins.
    return bool(_SOURCE.search(current.text) and _AUTHOR_START.match(line.strip()))


def _reference(entry: _Entry) -> ParsedReference:
    where = f"Record {entry.number} (line {entry.line})"
    text = repair_ligatures(entry.text)
    notes = []
    authors = _AUTHORS.match(text)
    if authors:
        names = [name.strip() for name in authors["authors"].split(",")]
        rest = authors["rest"]
    elif group := _GROUP_AUTHOR.match(text):
        names, rest = [group["authors"].strip()], group["rest"]
        notes.append(f"The authors were read as one group name: “{names[0]}”.")
    else:
        raise ImportFormatError(f"{where}: no author list found at the start of “{_clip(text)}”.")
    reference = ParsedReference(authors=names, record=entry.number, line=entry.line, notes=notes)
    if authors and authors["et_al"]:
        notes.append("The list names only the first authors (et al).")
    if journal := _JOURNAL_SOURCE.match(rest):
        _read_journal_source(reference, journal, where)
    elif web := _WEB_SOURCE.match(rest):
        reference.title, reference.year, reference.url = web["title"], int(web["year"]), web["url"]
        notes.append(f"A document on the web, not a journal article (accessed {web['accessed']}).")
    else:
        raise ImportFormatError(
            f"{where}: no “Journal. year;volume(issue):pages.” source found in “{_clip(text)}”."
        )
    reference.tidy()
    return reference


def _read_journal_source(reference, match, where):
    head = _TITLE_AND_JOURNAL.match(match["head"])
    if not head:
        raise ImportFormatError(
            f"{where}: the title and the journal could not be told apart in “{match['head']}”."
        )
    reference.title, reference.journal = head["title"], head["journal"]
    reference.year = int(match["year"])
    parts = _VOLUME_ISSUE_PAGES.match(match["tail"])
    if parts and (parts["volume"] or parts["pages"]):
        reference.volume = parts["volume"] or ""
        reference.issue = parts["issue"] or ""
        reference.pages = parts["pages"] or ""
    else:
        reference.notes.append(
            f"“{match['tail']}” after the year is not volume(issue):pages; "
            "it was left out (an article published ahead of print?)."
        )


def _clip(text: str, size: int = 70) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
