"""Reading scores of a page's text, for editors and reviewers: advice, never a rule.

Each language has its own measure. English: the Flesch-Kincaid grade (textstat) against
READABILITY_TARGET_GRADE (NIH and CDC advise about a 6th to 8th grade reading level for patient
material); a section above it is flagged. Spanish: Szigriszt-Pazos's perspicuity (textstat,
with Spanish syllables) read on the INFLESZ scale (Barrio-Cantalejo et al., 2008: below 40 very
difficult, 40-55 somewhat difficult, 55-65 normal, 65-80 fairly easy, above 80 very easy) against
READABILITY_SPANISH_MIN_EASE; a section below it is flagged. A page's language comes from its
kind (the Publishable protocol's reading_language()). Sections too short to score fairly are
listed without a score. Nothing here stops saving or publishing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import textstat
from django.conf import settings
from textstat.textstat import textstatistics

# Below this many words a score says more about one sentence than about the section.
MIN_WORDS = 30


@dataclass(frozen=True)
class Measure:
    """How one language's text is scored, and what a score means."""

    language: str
    name: str
    score: Callable[[str], float]
    # Whether a score misses the target (settings are read when asked, so tests may change them).
    misses: Callable[[float], bool]
    target: Callable[[], int]
    describe: Callable[[float], str]


@cache
def _spanish() -> textstatistics:
    # An instance of its own: textstat's module-level functions keep one language for everyone.
    statistics = textstatistics()
    statistics.set_lang("es")
    return statistics


# INFLESZ's bands, from the top: (lowest score of the band, its name).
INFLESZ = [(80, "muy fácil"), (65, "bastante fácil"), (55, "normal"), (40, "algo difícil")]


def inflesz_band(score: float) -> str:
    return next((name for lowest, name in INFLESZ if score >= lowest), "muy difícil")


ENGLISH = Measure(
    language="en",
    name="Flesch–Kincaid grade",
    score=lambda text: textstat.flesch_kincaid_grade(text),
    misses=lambda score: score > settings.READABILITY_TARGET_GRADE,
    target=lambda: settings.READABILITY_TARGET_GRADE,
    describe=lambda score: f"grade {score}",
)
SPANISH = Measure(
    language="es",
    name="Szigriszt-Pazos reading ease (INFLESZ scale)",
    score=lambda text: _spanish().szigriszt_pazos(text),
    misses=lambda score: score < settings.READABILITY_SPANISH_MIN_EASE,
    target=lambda: settings.READABILITY_SPANISH_MIN_EASE,
    describe=lambda score: f"reading ease {score:g}: {inflesz_band(score)}",
)
MEASURES = {measure.language: measure for measure in (ENGLISH, SPANISH)}


def measure_for(language: str) -> Measure:
    return MEASURES.get(language, ENGLISH)


@dataclass(frozen=True)
class SectionGrade:
    section: str
    words: int
    grade: float | None
    measure: Measure = ENGLISH

    @property
    def above_target(self) -> bool:
        """Harder to read than the target (a grade above it, or a reading ease below it)."""
        return self.grade is not None and self.measure.misses(self.grade)

    @property
    def described(self) -> str:
        return "" if self.grade is None else self.measure.describe(self.grade)


@dataclass(frozen=True)
class Readability:
    target: int
    sections: list[SectionGrade]
    overall: float | None
    measure: Measure = ENGLISH

    @property
    def warnings(self) -> list[SectionGrade]:
        return [section for section in self.sections if section.above_target]

    @property
    def described(self) -> str:
        return "" if self.overall is None else self.measure.describe(self.overall)


def grade(text: str, language: str = "en") -> float | None:
    """The score of text in its language's measure, or None when it is too short to score."""
    if textstat.lexicon_count(text or "") < MIN_WORDS:
        return None
    return round(measure_for(language).score(text), 1)


def readability(outline: list[tuple[str, list[str]]], language: str = "en") -> Readability:
    """Scores of each (section, texts) of an outline, and of all of it together."""
    measure = measure_for(language)
    sections = []
    for section, texts in outline:
        text = _as_prose(texts)
        if text:
            words = textstat.lexicon_count(text)
            sections.append(SectionGrade(section, words, grade(text, language), measure))
    overall = grade(" ".join(_as_prose(texts) for _, texts in outline), language)
    return Readability(measure.target(), sections, overall, measure)


def of_object(obj, document) -> Readability:
    """The readability of a publishable page's prose (its prose_outline, in its
    reading_language(): both asked of every kind by the publishing protocol)."""
    return readability(obj.prose_outline(document), obj.reading_language())


def _as_prose(texts) -> str:
    # Items are sentences or paragraphs; a list item without a full stop still ends a sentence.
    return " ".join(
        t.strip() if t.strip().endswith((".", "?", "!")) else f"{t.strip()}."
        for t in texts
        if t.strip()
    )
