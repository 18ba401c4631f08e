"""What changed between two documents, section by section, word by word.

A content type describes its document to reviewers with ``review_outline(document)``: an
ordered list of (section label, [plain-text items]). The diff compares those outlines, so the
reviewer reads the same words the public will read, never markup. Everything here is plain
text; templates escape it.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

SAME, ADDED, REMOVED, CHANGED = "same", "added", "removed", "changed"

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class Segment:
    op: str  # SAME, ADDED or REMOVED
    text: str


@dataclass
class ItemDiff:
    status: str
    segments: list[Segment]
    position: int | None = None  # the item's index in the new outline; None when removed
    parts: list = field(default_factory=list)  # what a reviewer may comment on in the item


@dataclass
class SectionDiff:
    label: str
    items: list[ItemDiff] = field(default_factory=list)
    parts: list = field(default_factory=list)  # commentable parts with no item of their own

    @property
    def status(self) -> str:
        statuses = {item.status for item in self.items}
        if statuses <= {SAME}:
            return SAME
        if statuses == {ADDED}:
            return ADDED
        if statuses == {REMOVED}:
            return REMOVED
        return CHANGED

    @property
    def changed(self) -> bool:
        return self.status != SAME


def outline(obj, document) -> list[tuple[str, list[str]]]:
    """The page's outline of a document (Publishable.review_outline, which every registered
    kind has: publishing.checks verifies it at start-up)."""
    return obj.review_outline(document)


def compare(old: list | None, new: list) -> list[SectionDiff]:
    """Diff two outlines; with no old outline (a first review) everything is an addition."""
    old_sections = dict(old or [])
    sections = [
        SectionDiff(label, _items(old_sections.get(label, []), items)) for label, items in new
    ]
    new_labels = {label for label, _ in new}
    sections += [
        SectionDiff(label, _items(items, []))
        for label, items in (old or [])
        if label not in new_labels
    ]
    return [section for section in sections if section.items]


def _items(old: list[str], new: list[str]) -> list[ItemDiff]:
    result = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result += [ItemDiff(SAME, [Segment(SAME, new[j])], j) for j in range(j1, j2)]
            continue
        removed, added = old[i1:i2], new[j1:j2]
        paired = min(len(removed), len(added))
        result += [ItemDiff(CHANGED, words(removed[k], added[k]), j1 + k) for k in range(paired)]
        result += [ItemDiff(REMOVED, [Segment(REMOVED, text)]) for text in removed[paired:]]
        result += [ItemDiff(ADDED, [Segment(ADDED, new[j])], j) for j in range(j1 + paired, j2)]
    return result


def words(before: str, after: str) -> list[Segment]:
    """A word-level diff of two texts, runs of the same operation merged."""
    old, new = _TOKEN.findall(before), _TOKEN.findall(after)
    segments: list[Segment] = []

    def emit(op, tokens):
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1].text += text
        else:
            segments.append(Segment(op, text))

    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            emit(SAME, new[j1:j2])
        else:
            emit(REMOVED, old[i1:i2])
            emit(ADDED, new[j1:j2])
    return segments
