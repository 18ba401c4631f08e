"""Reading grades of a page's text, for editors and reviewers: advice, never a rule.

The Flesch-Kincaid grade (textstat) of each prose section, against READABILITY_TARGET_GRADE:
NIH and CDC advise about a 6th to 8th grade reading level for patient material. Sections too
short to grade fairly are listed without a grade. Nothing here stops saving or publishing.
"""

from dataclasses import dataclass

import textstat
from django.conf import settings

# Below this many words a grade says more about one sentence than about the section.
MIN_WORDS = 30


@dataclass(frozen=True)
class SectionGrade:
    section: str
    words: int
    grade: float | None

    @property
    def above_target(self) -> bool:
        return self.grade is not None and self.grade > settings.READABILITY_TARGET_GRADE


@dataclass(frozen=True)
class Readability:
    target: int
    sections: list[SectionGrade]
    overall: float | None

    @property
    def warnings(self) -> list[SectionGrade]:
        return [section for section in self.sections if section.above_target]


def grade(text: str) -> float | None:
    """The Flesch-Kincaid grade of text, or None when it is too short to grade."""
    if textstat.lexicon_count(text or "") < MIN_WORDS:
        return None
    return round(textstat.flesch_kincaid_grade(text), 1)


def readability(outline: list[tuple[str, list[str]]]) -> Readability:
    """Grades of each (section, texts) of an outline, and of all of it together."""
    sections = []
    for section, texts in outline:
        text = _as_prose(texts)
        if text:
            sections.append(SectionGrade(section, textstat.lexicon_count(text), grade(text)))
    overall = grade(" ".join(_as_prose(texts) for _, texts in outline))
    return Readability(settings.READABILITY_TARGET_GRADE, sections, overall)


def of_object(obj, document) -> Readability:
    """The readability of a publishable page's prose (its prose_outline, which the publishing
    protocol asks of every kind)."""
    return readability(obj.prose_outline(document))


def _as_prose(texts) -> str:
    # Items are sentences or paragraphs; a list item without a full stop still ends a sentence.
    return " ".join(
        t.strip() if t.strip().endswith((".", "?", "!")) else f"{t.strip()}."
        for t in texts
        if t.strip()
    )
