"""Search over the live condition pages.

On PostgreSQL: full-text search over each SearchEntry's weighted vector (title, codes and
search phrases A, summary B, FAQ questions C, the rest of the page D), ranked with ts_rank.
Stop words and very common clinical words ("disorder", "treatment") are left out of the query
when it has other words, so they neither select nor rank pages. Pages holding every word of
the query are the answer when there are any (the GIN index finds them); otherwise pages sharing
any word, those that share the most, and the weightiest, first. Visitors type questions ("does
ketamine help OCD"): stop words drop out, and a word no page has does not empty the results.
Elsewhere (the embedded SQLite database): a containment score with the same weights.
Only live publications are ever searched.
"""

import re
from functools import reduce
from operator import add, or_

from django.db import connection
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Least, Length, Lower, Replace

from conditions import selectors
from conditions.library import SEARCH_CONFIG
from conditions.read_model import SearchEntry
from conditions.vocabulary import deciding_terms
from reviews.models import LivePublication

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12
RESULTS = 20

# Words, codes such as 6B20, 300.3 or F42.2, hyphenated words such as ICD-11.
_TERM = re.compile(r"[^\W_]+(?:[.\-][^\W_]+)*")
# The fallback's weights for a term found in each field, in the spirit of A, B and C.
_FALLBACK_WEIGHTS = {
    "title": 10,
    "codes": 10,
    "phrases": 8,
    "summary": 4,
    "questions": 2,
    "treatment_names": 2,
    "body": 1,
}
# The body is long: how often a term occurs there counts, as it does for ts_rank, up to this.
_BODY_OCCURRENCES_COUNTED = 5


def search_terms(query: str) -> list[str]:
    """The distinct terms of a visitor's query, in order, lower-cased."""
    terms = _TERM.findall((query or "")[:MAX_QUERY_LENGTH].lower())
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def search(query: str, limit: int = RESULTS) -> list[SearchEntry]:
    """The live pages that match query, best first."""
    terms = search_terms(query)
    if not terms:
        return []
    terms = deciding_terms(terms)
    if connection.vendor == "postgresql":
        # Each term quoted for to_tsquery: the pattern above admits no operator characters.
        quoted = [f"'{term}'" for term in terms]
        return _full_text(" & ".join(quoted), limit) or _full_text(" | ".join(quoted), limit)
    ranked = _ranked_containment(selectors.live_entries(), terms).order_by("-rank", "title")
    every_word = list(ranked.filter(words=len(terms))[:limit])
    return every_word or list(ranked.filter(rank__gt=0)[:limit])


def _full_text(tsquery: str, limit: int) -> list[SearchEntry]:
    # Plain SQL: the ORM would spend longer building this statement than PostgreSQL running it.
    return list(SearchEntry.objects.raw(_full_text_sql(), [SEARCH_CONFIG, tsquery, limit]))


def _full_text_sql() -> str:
    entry, live = SearchEntry._meta.db_table, LivePublication._meta.db_table
    columns = ", ".join(
        f"e.{name}"
        for name in [
            "condition_id",
            "slug",
            "title",
            "summary",
            "codes_line",
            "status_label",
            "last_reviewed",
            "reviewed_by",
        ]
    )
    # Only entries whose publication is live: the guard every public read applies.
    return (
        f"SELECT {columns}, ts_rank(e.vector, q.query) AS rank "  # noqa: S608 - names, not values
        f"FROM {entry} e JOIN {live} l ON l.publication_id = e.publication_id, "
        "to_tsquery(%s::regconfig, %s) AS q(query) "
        "WHERE e.vector @@ q.query ORDER BY rank DESC, e.title LIMIT %s"
    )


def _occurrences(field: str, term: str):
    """How often term occurs in field, case-insensitively, counted up to a limit."""
    text = Lower(field)
    removed = Length(text) - Length(Replace(text, Value(term), Value("")))
    return Least(removed / len(term), Value(_BODY_OCCURRENCES_COUNTED))


def _ranked_containment(entries, terms):
    found = [
        Case(
            When(
                reduce(or_, (Q(**{f"{field}__icontains": term}) for field in _FALLBACK_WEIGHTS)),
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
        for term in terms
    ]
    scores = [
        Case(
            When(**{f"{field}__icontains": term}, then=Value(weight)),
            default=Value(0),
            output_field=IntegerField(),
        )
        for term in terms
        for field, weight in _FALLBACK_WEIGHTS.items()
        if field != "body"
    ] + [_occurrences("body", term) * _FALLBACK_WEIGHTS["body"] for term in terms]
    return entries.annotate(rank=reduce(add, scores), words=reduce(add, found))
