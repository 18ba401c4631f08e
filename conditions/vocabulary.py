"""The words search treats specially: those too common to rank by, and the abbreviations
people and pages use for a condition's name."""

import re

# Too common to score (PostgreSQL's English configuration drops the same kind of words).
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "my",
        "of",
        "on",
        "or",
        "the",
        "to",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "with",
        "you",
        "your",
    ]
)
# Words nearly every page holds: they do not decide a ranking while the query has other words
# ("obsessive compulsive disorder" is about "obsessive" and "compulsive").
COMMON_CLINICAL_WORDS = frozenset(
    [
        "condition",
        "conditions",
        "disease",
        "diseases",
        "disorder",
        "disorders",
        "illness",
        "patient",
        "patients",
        "symptom",
        "symptoms",
        "syndrome",
        "syndromes",
        "therapy",
        "therapies",
        "treat",
        "treated",
        "treating",
        "treatment",
        "treatments",
        "medication",
        "medications",
    ]
)
# Abbreviations of condition names, as the DSM and ICD spell them out. A page titled or searched
# for by the abbreviation is also found by the name.
ABBREVIATIONS = {
    "ADHD": "attention-deficit/hyperactivity disorder",
    "BDD": "body dysmorphic disorder",
    "CRPS": "complex regional pain syndrome",
    "GAD": "generalized anxiety disorder",
    "MDD": "major depressive disorder",
    "OCD": "obsessive-compulsive disorder",
    "PPD": "postpartum depression",
    "PTSD": "post-traumatic stress disorder",
    "TRD": "treatment-resistant depression",
}
_WORD = re.compile(r"[A-Za-z]+")


def expansions(*texts: str) -> list[str]:
    """The spelled-out names of the abbreviations the texts use, each once, in order."""
    found = {}
    for text in texts:
        for word in _WORD.findall(text or ""):
            if word in ABBREVIATIONS:
                found.setdefault(ABBREVIATIONS[word], None)
    return list(found)


def deciding_terms(terms: list[str]) -> list[str]:
    """The terms that decide a ranking: without stop words and very common clinical words,
    unless nothing else is left."""
    return (
        [t for t in terms if t not in STOP_WORDS and t not in COMMON_CLINICAL_WORDS]
        or [t for t in terms if t not in STOP_WORDS]
        or terms
    )
