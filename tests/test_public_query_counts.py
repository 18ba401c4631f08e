"""Query counts of the public pages stay constant as the library grows (10 pages, then 100)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.library import publish_condition, treatment

URLS = [
    "/conditions/",
    "/conditions/page-1/",
    "/treatments/shared-therapy/",
    "/search/?q=page+condition+therapy",
    "/sitemap.xml",
    "/feeds/reviewed.atom",
]


def grow_library(people, start, stop):
    shared = treatment("shared-therapy", "Shared therapy", summary="Used by every page.")
    for number in range(start, stop):
        publish_condition(
            people,
            f"page-{number}",
            f"Condition page {number}",
            summary=f"Summary of condition page {number}.",
            phrases=[f"page {number} question"],
            faqs=[(f"Question {number}?", "An answer.")],
            treatments=[(shared, "first_line")],
        )


def queries(client, url, *, cold):
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def counts(client):
    return {
        url: (queries(client, url, cold=True), queries(client, url, cold=False)) for url in URLS
    }


@pytest.fixture
def people(editor, physician_user, publisher):
    return editor, physician_user, publisher


def test_public_pages_cost_the_same_queries_at_10_and_100_pages(client, people):
    """Every public page, cold and warm, costs the same number of queries at both sizes."""
    grow_library(people, 1, 11)
    counts(client)  # what a process looks up once in its life (content types) is not growth
    small = counts(client)
    grow_library(people, 11, 101)
    large = counts(client)
    assert large == small


def test_a_condition_page_costs_one_query_warm_and_cold(client, people):
    """Warm: the live pointer only. Cold: the pointer with the rendering stored at publish."""
    grow_library(people, 1, 11)
    cold = queries(client, "/conditions/page-1/", cold=True)
    warm = queries(client, "/conditions/page-1/", cold=False)
    assert (cold, warm) == (1, 1)


def test_listings_cost_one_query_warm(client, people):
    """The index and treatment pages: one aggregate over the live pointers on a hit. Built
    cold, the index reads the library's stamp, its groups' counts and the asked page's entries,
    whatever the library's size (tests/test_library_pages.py)."""
    grow_library(people, 1, 4)
    assert queries(client, "/conditions/", cold=True) == 3
    assert queries(client, "/treatments/shared-therapy/", cold=False) == 2
    assert queries(client, "/conditions/", cold=False) == 1
    assert queries(client, "/treatments/shared-therapy/", cold=False) == 1
