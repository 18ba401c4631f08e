"""Search over the live condition pages.

On PostgreSQL: full-text search over each SearchEntry's weighted vector (title, codes and
search phrases A, summary B, FAQ questions C), matching pages that share any term with the
query and ranking those that share the most, and the weightiest, first. Visitors type questions
("does ketamine help OCD"): requiring every word would find nothing as often as it helps.
Elsewhere (the embedded SQLite database): a containment score with the same weights.
Only live publications are ever searched.
"""

import re
from functools import reduce
from operator import add

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Value, When

from conditions.library import SEARCH_CONFIG
from conditions.models import SearchEntry

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
RESULTS = 20

# Words, codes such as 6B20, 300.3 or F42.2, hyphenated words such as ICD-11.
_TERM = re.compile(r"[^\W_]+(?:[.\-][^\W_]+)*")
# Words too common to score in the fallback (PostgreSQL has its own stop words).
_STOP_WORDS = frozenset(
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
# The fallback's weights for a term found in each field, in the spirit of A, B and C.
_FALLBACK_WEIGHTS = {"title": 10, "codes": 10, "phrases": 8, "summary": 4, "questions": 2}


def search_terms(query: str) -> list[str]:
    """The distinct terms of a visitor's query, in order, lower-cased."""
    terms = _TERM.findall((query or "")[:MAX_QUERY_LENGTH].lower())
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def search(query: str, limit: int = RESULTS) -> list[SearchEntry]:
    """The live pages that match query, best first."""
    terms = search_terms(query)
    if not terms:
        return []
    entries = SearchEntry.objects.live().defer("vector", "codes", "phrases", "questions")
    if connection.vendor == "postgresql":
        ranked = _ranked_full_text(entries, terms)
    else:
        ranked = _ranked_containment(entries, terms)
    return list(ranked.order_by("-rank", "title")[:limit])


def _ranked_full_text(entries, terms):
    # Each term quoted for to_tsquery: the pattern above admits no operator characters.
    any_term = SearchQuery(
        " | ".join(f"'{term}'" for term in terms), config=SEARCH_CONFIG, search_type="raw"
    )
    return entries.filter(vector=any_term).annotate(rank=SearchRank(F("vector"), any_term))


def _ranked_containment(entries, terms):
    terms = [term for term in terms if term not in _STOP_WORDS] or terms
    scores = [
        Case(
            When(**{f"{field}__icontains": term}, then=Value(weight)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for term in terms
        for field, weight in _FALLBACK_WEIGHTS.items()
    ]
    return entries.annotate(rank=reduce(add, scores)).filter(rank__gt=0)
