"""A reference list in Vancouver (NLM/ICMJE) or AMA style, numbered or not, as pasted from a
paper or from PubMed's “Cite → NLM”:

    1. Hirschtritt ME, Bloch MH, Mathews CA. Obsessive-compulsive disorder: advances in
       diagnosis and treatment. JAMA. 2017;317(13):1358–1367.
    Murrough JW, Iosifescu DV, … Am J Psychiatry. 2013 Oct;170(10):1134-42. doi:
       10.1176/appi.ajp.2013.13030392. Epub 2013 Aug 27. PMID: 23982301; PMCID: PMC3992936.

Journal articles, books, book chapters (“In: … eds.”), theses (“[dissertation]”, or a thesis
repository's address) and web pages (“Accessed …”, “[cited …]”) are read into their fields;
the DOI, PMID and PMCID after the source go to theirs; “et al.” is kept as a flag.

Text copied from a PDF brings its own damage, which this module repairs:

- entry numbers detached from their entries, on lines of their own, sometimes in the middle of
  an entry: a line holding only a number is ignored unless it finishes a page range
  (“1310–” then “1325.”), and entries are numbered in the order they come;
- ligatures split by spaces: “eff ects”, “defi nitions”, “Diffi  cult”;
- line breaks: after a hyphen the hyphen is kept (“placebo-” + “controlled”: reference titles
  break at compound words), after a dash or a slash the two lines join without a space;
- page furniture (running headers and footers, page numbers) is skipped with a note naming its
  lines (see furniture.py), never merged into a reference.

An entry ends with the period after its source (“year;volume(issue):pages”, “Publisher;
year”, an access date) or its identifiers, or where the next numbered entry or author list
begins.
"""

import re
from dataclasses import dataclass, field

from references.errors import ImportFormatError
from references.importers.common import date_in, lines_of
from references.importers.furniture import furniture_lines, is_bare_source
from references.importers.parsed import ParsedReference

# An entry longer than this never ended: reported rather than read on (and the reading stays
# linear in the size of the input whatever is pasted).
MAX_ENTRY_LINES = 40

_HEADING = re.compile(r"^\s*(references|bibliography|literature cited)\s*:?\s*$", re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"^\s*\[?\d{1,3}[.)\]]?\s*$")
_BARE_NUMBER = re.compile(r"^\s*\d{1,4}\s*$")  # a page's number; an entry's has its period
_RANGE_END = re.compile(r"^\s*\d{1,5}\s*(?:[.;,]|$)")
_NUMBER_PREFIX = re.compile(r"^\s*\[?\d{1,3}[.)\]]\s+(?=\S)")
_JOINS_WITHOUT_SPACE = ("-", "\u2013", "\u2014", "/")
_UNFINISHED = ("-", "\u2013", "\u2014", ":", ";", ",")

_YEAR = r"(?:19|20)\d{2}[a-z]?"
# PubMed's date after the year: “2013 Oct”, “2013 Oct 1”, “2021 Jan-Feb”, “2020 Spring”.
_PUBMED_DATE = r"(?:\s+[A-Z][a-z]{2,8}(?:[-/][A-Z][a-z]{2,8})?(?:\s+\d{1,2}(?:-\d{1,2})?)?)"
_MONTH_DAY = r"[A-Z][a-z]+\.?\s+\d{1,2},\s+"
# The shapes that end a reference: a journal source, a publisher and year, an access date,
# an identifier, or the date of an article published ahead of print.
_SOURCES = re.compile(
    rf"\.\s+{_YEAR}{_PUBMED_DATE}?\s*;"
    rf"|;\s*{_YEAR}(?::\s*[\w\-\u2013]+)?\.(?:\s+p\.\s*[\w\-\u2013]+\.)?"
    rf"|\bAccessed\b[^.]*\d{{4}}\.|\[cited\b[^\]]*\]"
    rf"|\bPMID:\s*\d|\bdoi:\s*10\.|doi\.org/10\."
    rf"|\.\s+(?:{_YEAR}{_PUBMED_DATE}|Published online\s+{_MONTH_DAY}{_YEAR})\.",
    re.IGNORECASE,
)
# A DOI or an address that ends an entry without a period (one cut at a line end goes on).
_ENDS_ON_ADDRESS = re.compile(r"(?:doi:\s*10\.\d{4,9}/|https?://)\S*[A-Za-z0-9]$", re.IGNORECASE)
# A line that continues the reference before it: its identifiers, or where it is read online.
_CONTINUES = re.compile(
    r"^(?:doi\s*:|https?://(?:dx\.)?doi\.org/|Epub\b|PMID\s*:|PMCID\s*:|Accessed\b"
    r"|Available (?:from|at)\b|\[cited\b|Published online\b|Erratum in\b)",
    re.IGNORECASE,
)

# One author, “Rosa-Alcázar AI” or “Fernández de la Cruz L”: surname words, then initials.
_WORD = r"[^\W\d_][^\s,.;:\-]*"
_AUTHOR = rf"{_WORD}(?:[ \-]{_WORD})*\s[A-Z]{{1,4}}"
_AUTHORS = re.compile(
    rf"^(?P<authors>{_AUTHOR}(?:,\s+{_AUTHOR})*)(?P<et_al>,?\s+(?:et\s+al|and\s+others))?\.?\s+"
    r"(?P<rest>.+)$"
)
_AUTHOR_START = re.compile(rf"^{_AUTHOR}(?:,|\.\s)")
_GROUP_AUTHOR = re.compile(r"^(?P<authors>[^\d.]{3,120}?)\.\s+(?P<rest>.+)$")

# What follows the source: identifiers, PubMed's Epub date, notices.
_AFTER_SOURCE = re.compile(
    r"\s(?=(?:doi\s*:|https?://(?:dx\.)?doi\.org/|Epub\b|PMID\s*:|PMCID\s*:|Erratum in\b"
    r"|Retraction in\b|Comment in\b|Update in\b))",
    re.IGNORECASE,
)
_DOI = re.compile(r"(?:doi\s*:\s*|doi\.org/)(10\.\d{4,9}/\S+?)\.?(?=\s|$)", re.IGNORECASE)
_PMID = re.compile(r"\bPMID\s*:\s*(\d{1,9})\b", re.IGNORECASE)
_PMCID = re.compile(r"\bPMCID\s*:\s*(PMC\d{1,9})\b", re.IGNORECASE)
_EPUB = re.compile(r"\bEpub\s+((?:ahead of print)|[^.]+)", re.IGNORECASE)

_JOURNAL_SOURCE = re.compile(
    rf"^(?P<head>.+?)\.\s+(?P<year>(?:19|20)\d{{2}})[a-z]?(?P<date>{_PUBMED_DATE})?"
    r"\s*(?:;\s*(?P<tail>.+?))?\.?$"
)
_ONLINE_FIRST = re.compile(
    rf"^(?P<head>.+?)\.\s+Published online\s+(?P<date>{_MONTH_DAY}(?P<year>(?:19|20)\d{{2}}))\.?$"
)
_TITLE_AND_JOURNAL = re.compile(r"^(?P<title>.+[.?!\]])\s+(?P<journal>[^.?!]+)$")
_VOLUME_ISSUE_PAGES = re.compile(
    r"^(?P<volume>[^\s():;]+)?\s*(?:\((?P<issue>[^)]+)\))?\s*(?::\s*(?P<pages>.+))?$"
)
# “Title. 2nd ed. New York: Publisher; 2010:12-20.” (AMA) or “…; 2010. p. 12-20.” (Vancouver)
_PUBLISHED = re.compile(
    r"^(?P<head>.+)\.\s+(?:(?P<place>[^.:;]+?):\s*)?(?P<publisher>[^.:;]+?);\s*"
    r"(?P<year>(?:19|20)\d{2})[a-z]?(?::\s*(?P<pages>[\w\-\u2013]+))?\.?"
    r"(?:\s+p\.\s*(?P<vpages>[\w\-\u2013]+)\.?)?$"
)
_EDITION = re.compile(r"^(?P<head>.+?)\.\s+(?P<edition>\d+(?:st|nd|rd|th)|[A-Z][a-z]+)\s+ed$")
_EDITORS = re.compile(r"^(?P<editors>.+?),?\s+(?:eds?|editors?)\.\s+(?P<book>.+)$")
_DATED = re.compile(
    r"^(?P<head>.+?)\.\s+(?:(?:Published|Updated|Last updated|Reviewed)\s+)?"
    r"(?:[A-Z][a-z]+\.?\s+(?:\d{1,2},?\s+)?)?(?P<year>(?:19|20)\d{2})[a-z]?\.?$"
)
_THESIS_MARK = re.compile(
    r"\s*\[(?:doctoral |master'?s |ph\.?d\.? )?(?:dissertation|thesis)\]"
    r"|(?<=\.)\s+(?:(?:Doctoral|Master'?s|PhD)\s+)?(?:Dissertation|thesis)\.(?=\s|$)",
    re.IGNORECASE,
)
_THESIS_ADDRESS = re.compile(r"diva-portal|urn:nbn:|thes[ie]s|dissertation|ethos\.bl", re.I)
_ACCESSED = re.compile(r"\s*(?:\[cited\s+(?P<cited>[^\]]+)\]|\bAccessed\s+(?P<on>[^.]*?\d{4}))\.?")
_URL = re.compile(r"\s*(?:Available (?:from|at):?\s*)?(?P<url>https?://\S+?)\.?(?=\s|$)", re.I)
_INTERNET = re.compile(r"\s*\[Internet\]", re.IGNORECASE)

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
    skipped: list[tuple[int, str]] = field(default_factory=list)  # furniture met inside it

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

    def has_source(self) -> bool:
        return bool(_SOURCES.search(self.text))

    def is_complete(self) -> bool:
        text = self.text
        return self.has_source() and (text.endswith(".") or bool(_ENDS_ON_ADDRESS.search(text)))

    def awaits_more(self) -> bool:
        return self.text.endswith(_UNFINISHED)


def parse_vancouver(text: str) -> list[ParsedReference]:
    entries = _Reader(lines_of(text)).entries()
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


class _Reader:
    """Cuts the pasted lines into entries, one reference each, skipping page furniture."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.furniture = furniture_lines(lines)
        self.entries_: list[_Entry] = []
        self.current: _Entry | None = None
        self.skipped: list[tuple[int, str]] = []  # furniture before the first entry

    def entries(self) -> list[_Entry]:
        number = 0
        while number < len(self.lines):
            number += 1
            line = self.lines[number - 1]
            if not line.strip() or (
                not self.entries_ and self.current is None and _HEADING.match(line)
            ):
                continue
            if _NUMBER_ONLY.match(line) and not (self.current and self.current.awaits_more()):
                continue  # an entry number the PDF detached from its entry, or a page number
            if _BARE_NUMBER.match(line) and self._is_page_number_inside_range(number):
                self._skip(number, line)
                continue
            if number in self.furniture or self._is_loose_text(number):
                self._skip(number, line)
                continue
            self._read(number, line)
        self._finish()
        return self.entries_

    def _read(self, number: int, line: str):
        current = self.current
        numbered = bool(_NUMBER_PREFIX.match(line))
        line = _NUMBER_PREFIX.sub("", line)
        if current is None and self.entries_ and _CONTINUES.match(line.strip()):
            current = self.current = self.entries_.pop()  # its DOI or PMID, on the next line
        if current is not None and self._starts_next_entry(current, line, numbered):
            self.entries_.append(current)
            current = self.current = None
        if current is None:
            current = self.current = _Entry(number=len(self.entries_) + 1, line=number)
        current.add(line, number)
        if current.is_complete():
            self.entries_.append(current)
            self.current = None
        elif len(current.lines) >= MAX_ENTRY_LINES:
            raise ImportFormatError(_unended(current))

    def _starts_next_entry(self, current: _Entry, line: str, numbered: bool) -> bool:
        if numbered and not current.awaits_more():
            return True
        # An entry whose source lacks its final period ends where the next author list begins.
        return current.has_source() and bool(_AUTHOR_START.match(line.strip()))

    def _is_page_number_inside_range(self, number: int) -> bool:
        """“151–”, “12”, “161.”: a page break inside a page range leaves the page's bare number
        between the range's halves; the range ends on the line after it (“408–”, “409.”,
        “19.” is a range and a detached entry number)."""
        for ahead in range(number + 1, len(self.lines) + 1):
            line = self.lines[ahead - 1]
            if line.strip() and ahead not in self.furniture:
                return bool(_RANGE_END.match(line)) and not _NUMBER_PREFIX.match(line)
        return False

    def _is_loose_text(self, number: int) -> bool:
        """Between references, lines that start no author list and carry no source up to the
        next one are not a reference: a header or footer the furniture rules did not know."""
        if self.current is not None:
            return False
        probe = _Entry(number=0, line=number)
        for ahead in range(number, min(number + MAX_ENTRY_LINES, len(self.lines) + 1)):
            line = self.lines[ahead - 1]
            if not line.strip() or ahead in self.furniture or _NUMBER_ONLY.match(line):
                continue
            starts = _NUMBER_PREFIX.match(line) or _AUTHOR_START.match(line.strip())
            if ahead == number and (starts or _CONTINUES.match(line.strip())):
                return False
            if ahead == number and is_bare_source(line):
                return True  # a reference never starts with its journal: a running title
            if ahead > number and starts:
                break
            probe.add(line, ahead)
        return not probe.has_source()

    def _skip(self, number: int, line: str):
        owner = self.current or (self.entries_[-1] if self.entries_ else None)
        (owner.skipped if owner else self.skipped).append((number, line.strip()))

    def _finish(self):
        if self.current is not None:
            if not self.current.has_source():
                raise ImportFormatError(_unended(self.current))
            self.entries_.append(self.current)
        if self.skipped and self.entries_:
            self.entries_[0].skipped[:0] = self.skipped


def _unended(entry: _Entry) -> str:
    return (
        f"Lines {entry.line}–{entry.last_line} (“{_clip(entry.text)}”) do not end a reference: "
        "no source follows them (“Journal. year;volume(issue):pages.”, “Publisher; year.”, "
        "or “Accessed <date>.”). Complete the entry."
    )


def _reference(entry: _Entry) -> ParsedReference:
    where = f"Record {entry.number} (line {entry.line})"
    text = repair_ligatures(entry.text)
    names, et_al, rest, notes = _authors(text, where)
    reference = ParsedReference(
        authors=names, et_al=et_al, record=entry.number, line=entry.line, notes=notes
    )
    rest = _read_identifiers(reference, rest)
    _reader_for(rest)(reference, rest, where)
    if entry.skipped:
        reference.warnings.append(_skipped_note(entry.skipped))
    reference.tidy()
    return reference


def _authors(text: str, where: str):
    if authors := _AUTHORS.match(text):
        names = [name.strip() for name in authors["authors"].split(",")]
        notes = ["The list names only the first authors (et al.)."] if authors["et_al"] else []
        return names, bool(authors["et_al"]), authors["rest"], notes
    if group := _GROUP_AUTHOR.match(text):
        name = group["authors"].strip()
        return [name], False, group["rest"], [_group_note(name)]
    raise ImportFormatError(f"{where}: no author list found at the start of “{_clip(text)}”.")


def _group_note(name: str) -> str:
    return f"The authors were read as one group name: “{name}”."


def _read_identifiers(reference: ParsedReference, rest: str) -> str:
    """Take the DOI, PMID and PMCID (and PubMed's Epub date) from after the source."""
    parts = _AFTER_SOURCE.split(rest, maxsplit=1)
    if len(parts) == 1:
        return rest
    body, tail = parts
    for pattern, name in ((_DOI, "doi"), (_PMID, "pmid"), (_PMCID, "pmcid")):
        if found := pattern.search(tail):
            setattr(reference, name, found.group(1))
    if epub := _EPUB.search(tail):
        reference.notes.append(f"Published online first (Epub {epub.group(1).strip()}).")
    return body.strip()


def _reader_for(rest: str):
    if " In: " in rest:
        return _read_chapter
    online = _ACCESSED.search(rest) or _INTERNET.search(rest)
    if _THESIS_MARK.search(rest) or (online and _THESIS_ADDRESS.search(rest)):
        return _read_thesis
    if online:
        return _read_web
    if _JOURNAL_SOURCE.match(rest) or _ONLINE_FIRST.match(rest):
        return _read_article
    if _PUBLISHED.match(rest):
        return _read_book
    return _unreadable


def _unreadable(reference, rest, where):
    raise ImportFormatError(
        f"{where}: no source found in “{_clip(rest)}”: a journal article ends “Journal. "
        "year;volume(issue):pages.”, a book “Publisher; year.”, a web page “Accessed <date>.”"
    )


def _read_article(reference, rest, where):
    if online_first := _ONLINE_FIRST.match(rest):
        _title_and_journal(reference, online_first["head"], where)
        reference.year = int(online_first["year"])
        reference.notes.append(f"Published online first ({online_first['date']}): no volume yet.")
        return
    match = _JOURNAL_SOURCE.match(rest)
    _title_and_journal(reference, match["head"], where)
    reference.year = int(match["year"])
    tail = match["tail"] or ""
    parts = _VOLUME_ISSUE_PAGES.match(tail)
    if parts and (parts["volume"] or parts["pages"]):
        reference.volume = parts["volume"] or ""
        reference.issue = parts["issue"] or ""
        reference.pages = parts["pages"] or ""
    elif tail:
        reference.notes.append(
            f"“{tail}” after the year is not volume(issue):pages; "
            "it was left out (an article published ahead of print?)."
        )


def _title_and_journal(reference, head: str, where: str):
    parts = _TITLE_AND_JOURNAL.match(head)
    if not parts:
        raise ImportFormatError(
            f"{where}: the title and the journal could not be told apart in “{head}”."
        )
    reference.title, reference.journal = parts["title"], parts["journal"]


def _read_book(reference, rest, where, *, kind="book"):
    match = _PUBLISHED.match(rest)
    if not match:
        _unreadable(reference, rest, where)
    head = match["head"]
    if edition := _EDITION.match(head):
        head, reference.edition = edition["head"], edition["edition"]
    reference.kind, reference.publisher = kind, match["publisher"]
    reference.year = int(match["year"])
    reference.pages = match["pages"] or match["vpages"] or ""
    if kind == "chapter":
        reference.book_title = head
    else:
        reference.title = head
    if match["place"]:
        reference.notes.append(
            f"The place of publication ({match['place']}) was left out (AMA 11)."
        )


def _read_chapter(reference, rest, where):
    title, container = rest.split(" In: ", 1)
    reference.title = title.strip()
    editors = _EDITORS.match(container)
    if editors:
        reference.editors = [name.strip() for name in editors["editors"].split(",")]
        container = editors["book"]
    _read_book(reference, container, where, kind="chapter")


def _read_thesis(reference, rest, where):
    rest = _read_online(reference, _THESIS_MARK.sub("", rest))
    if _PUBLISHED.match(rest):
        _read_book(reference, rest, where)
    else:
        _read_dated(reference, rest, where)
    reference.kind = "thesis"
    if not reference.publisher:
        reference.notes.append("A thesis: add its university if it is known.")


def _read_web(reference, rest, where):
    rest = _read_online(reference, rest)
    if _PUBLISHED.match(rest):
        _read_book(reference, rest, where)
    else:
        _read_dated(reference, rest, where)
    reference.kind = "web"
    if reference.notes[:1] == [_group_note(reference.first_author)] and not reference.publisher:
        # AMA starts a page without an author with its title: what was read as a group
        # author is the title, and the title the site.
        reference.publisher, reference.title = reference.title, reference.authors.pop()
        reference.notes[0] = "No author: the citation starts with the page's title."


def _read_online(reference, rest: str) -> str:
    """Take the address and the access date; what is left is the title and its date."""
    if accessed := _ACCESSED.search(rest):
        written = accessed["cited"] or accessed["on"]
        reference.accessed = date_in(written)
        if not reference.accessed:
            reference.notes.append(f"The access date “{written}” could not be read.")
        rest = rest[: accessed.start()] + rest[accessed.end() :]
    if url := _URL.search(rest):
        reference.url = url["url"]
        rest = rest[: url.start()] + rest[url.end() :]
    return _INTERNET.sub("", rest).strip()


def _read_dated(reference, rest, where):
    """“Title. Site. Published 2020.” or “Title. 2020.”"""
    match = _DATED.match(rest)
    head = match["head"] if match else rest.rstrip(".")
    if match:
        reference.year = int(match["year"])
    elif reference.accessed:
        reference.year = int(reference.accessed[:4])
        reference.notes.append("No date of publication: the year is the year it was read.")
    title, _, site = head.rpartition(". ")
    reference.title, reference.publisher = (title, site) if title else (head, "")


def _skipped_note(skipped) -> str:
    first, last = skipped[0][0], skipped[-1][0]
    lines = f"Line {first}" if first == last else f"Lines {first}–{last}"
    shown = "”, “".join(_clip(text, 50) for _, text in skipped[:3])
    return f"{lines} (“{shown}”) skipped as page header or footer, not part of a reference."


def _clip(text: str, size: int = 70) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
