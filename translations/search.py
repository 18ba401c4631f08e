"""Search over the live translated pages of one language (/es/search/).

Both backends search each TranslatedEntry's folded text (lower case, accents removed, so
"obsesion" finds "obsesión"), after leaving out the language's stop words unless nothing else
is left. Pages holding every word are the answer when there are any; otherwise pages holding
any word. On PostgreSQL: a weighted tsvector in the language's text search configuration
(translations.library.SEARCH_CONFIGS: ``spanish`` stems "tratamientos" to "tratamient"), title
A, summary B, the rest D, ranked with ts_rank. Elsewhere (SQLite): containment of each word,
without stemming, scored title 10, summary 4, the rest 1. Only live publications are searched.
"""

from functools import reduce
from operator import add

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When

from conditions.search import _TERM, MAX_QUERY_LENGTH, MAX_TERMS, RESULTS
from translations.library import SEARCH_CONFIGS, fold
from translations.read_model import TranslatedEntry

# Words too common to select a page ("¿qué es el TOC?" searches "toc"), folded.
STOP_WORDS = {
    "es": frozenset(
        {
            *("a", "al", "como", "con", "cual", "cuando", "de", "del", "donde", "el", "en"),
            *("es", "esta", "este", "hay", "la", "las", "lo", "los", "mas", "me", "mi", "no"),
            *("o", "para", "pero", "por", "puede", "puedo", "que", "se", "si", "sin", "sobre"),
            *("son", "su", "sus", "tengo", "un", "una", "uno", "unos", "y", "ya", "yo"),
        }
    )
}
_FALLBACK_WEIGHTS = {"folded_title": 10, "folded_summary": 4, "folded_body": 1}


def search_terms(query: str, language: str = "es") -> list[str]:
    """The distinct folded words of a query, stop words left out unless nothing else is left."""
    terms = list(dict.fromkeys(_TERM.findall(fold((query or "")[:MAX_QUERY_LENGTH]))))
    deciding = [term for term in terms if term not in STOP_WORDS.get(language, ())]
    return (deciding or terms)[:MAX_TERMS]


def search(query: str, language: str = "es", limit: int = RESULTS) -> list[TranslatedEntry]:
    """The live pages in language that match query, best first."""
    terms = search_terms(query, language)
    if not terms:
        return []
    entries = TranslatedEntry.objects.live().filter(language=language)
    if connection.vendor == "postgresql":
        quoted = [f"'{term}'" for term in terms]  # the word pattern admits no operators
        config = SEARCH_CONFIGS.get(language, "simple")
        return _full_text(entries, config, " & ".join(quoted), limit) or _full_text(
            entries, config, " | ".join(quoted), limit
        )
    ranked = _ranked_containment(entries, terms).order_by("-rank", "title")
    every_word = list(ranked.filter(words=len(terms))[:limit])
    return every_word or list(ranked.filter(rank__gt=0)[:limit])


def _full_text(entries, config: str, tsquery: str, limit: int) -> list[TranslatedEntry]:
    from django.contrib.postgres.search import SearchQuery, SearchRank

    query = SearchQuery(tsquery, config=config, search_type="raw")
    return list(
        entries.filter(vector=query)
        .annotate(rank=SearchRank("vector", query))
        .order_by("-rank", "title")[:limit]
    )


def _ranked_containment(entries, terms):
    def found(term):
        return (
            Q(folded_title__contains=term)
            | Q(folded_summary__contains=term)
            | Q(folded_body__contains=term)
        )

    words = [
        Case(When(found(term), then=Value(1)), default=Value(0), output_field=IntegerField())
        for term in terms
    ]
    scores = [
        Case(
            When(**{f"{field}__contains": term}, then=Value(weight)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for term in terms
        for field, weight in _FALLBACK_WEIGHTS.items()
    ]
    return entries.annotate(rank=reduce(add, scores), words=reduce(add, words))
