"""Search: visitors' own words find the right live page first, on PostgreSQL and on SQLite."""

import os

import pytest
from django.db import connection

from conditions.read_model import SearchEntry
from conditions.search import search, search_terms
from reviews import workflow
from tests.conftest import PASSWORD, edit
from tests.library import publish_condition, publish_neighbours
from tests.pagetext import visible_text


@pytest.fixture
def people(editor, physician_user, publisher):
    return editor, physician_user, publisher


@pytest.fixture
def library(demo, people):
    publish_neighbours(people)
    return demo.condition


def slugs(query):
    return [entry.slug for entry in search(query)]


@pytest.mark.parametrize(
    "query", ["does ketamine help OCD", "6B20", "refractory OCD treatment", "ocd"]
)
def test_the_ocd_page_comes_first_for_the_ways_people_ask(library, query):
    """The phrases of the issue find Treatment-Resistant OCD before its neighbours."""
    assert slugs(query)[0] == "treatment-resistant-ocd"


def test_a_question_about_another_condition_ranks_that_page_first(library):
    """Ranking is by the query's words, not a fixed favourite."""
    assert slugs("does ketamine help depression")[0] == "treatment-resistant-depression"
    assert slugs("6B40") == ["ptsd"]


def test_pages_holding_every_word_are_the_answer_when_there_are_any(library):
    """A page with all the words beats, and hides, pages with only some of them."""
    assert slugs("ketamine OCD") == ["treatment-resistant-ocd"]


def test_when_no_page_holds_every_word_pages_sharing_some_still_match(library):
    """A word no page has does not empty the results; the most and weightiest matches lead."""
    found = slugs("ketamine PTSD zebrafish")
    assert found[0] == "ptsd"
    assert {"treatment-resistant-ocd", "treatment-resistant-depression"} <= set(found)


def test_a_query_of_nothing_searchable_finds_nothing(library):
    """Punctuation alone, or an empty box, is not a search."""
    assert search("") == []
    assert search("?!") == []
    assert slugs("zebrafish") == []


def test_search_terms_keep_codes_and_hyphenated_words_whole(db):
    """6B20, 300.3 and ICD-11 survive as single terms; duplicates collapse."""
    assert search_terms("ICD-11 6B20, 300.3 ocd OCD") == ["icd-11", "6b20", "300.3", "ocd"]


def test_a_draft_is_never_found(library, people):
    """A page that was never published is not in the index."""
    from tests.conftest import make_condition

    make_condition(people[0], slug="draft-ocd", title="Draft OCD notes", summary="OCD draft.")
    assert "draft-ocd" not in slugs("OCD draft")


def test_an_unpublished_page_leaves_the_search(library, publisher):
    """Unpublishing removes the page's entry; search no longer finds it."""
    workflow.unpublish(library, publisher, "Withdrawn for revision.")
    assert "treatment-resistant-ocd" not in slugs("does ketamine help OCD")
    assert not SearchEntry.objects.filter(slug="treatment-resistant-ocd").exists()


def test_a_new_publication_replaces_what_search_knows(people):
    """The entry follows the live publication, not the draft."""
    page = publish_condition(people, "panic", "Panic Disorder", summary="Sudden attacks of fear.")
    editor, physician_user, publisher = people
    edit(page, editor, title="Panic Disorder and Agoraphobia")
    assert slugs("agoraphobia") == []
    workflow.sign_off(page, physician_user, PASSWORD)
    workflow.publish(page, publisher)
    assert slugs("agoraphobia") == ["panic"]
    assert SearchEntry.objects.get(slug="panic").publication == workflow.live_publication(page)


def test_the_index_rows_are_only_trusted_while_their_publication_is_live(library):
    """Even a stale row cannot surface a page the public no longer sees."""
    entry = SearchEntry.objects.get(slug="ptsd")
    from reviews.models import LivePublication

    LivePublication.objects.filter(publication=entry.publication).delete()
    assert "ptsd" not in slugs("ketamine for PTSD")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector is PostgreSQL's")
def test_publishing_stores_a_weighted_vector_on_postgresql(library):
    """Title, codes and phrases are weighted A, the summary B, FAQ questions C."""
    vector = SearchEntry.objects.values_list("vector", flat=True).get(slug=library.slug)
    assert "'6b20':" in vector
    assert "'refractori':" in vector
    assert "A" in vector.split("'6b20':")[1].split(" ")[0]


def test_the_search_page_lists_results_with_summaries(client, library):
    """/search/?q= shows the matches, best first, linked to their pages."""
    response = client.get("/search/", {"q": "ketamine for PTSD"})
    text = visible_text(response.content.decode())
    assert response.status_code == 200
    assert 'href="/conditions/ptsd/"' in response.content.decode()
    assert "results for “ketamine for PTSD”" in text
    assert text.index("Symptoms after trauma") < text.index("OCD that hasn't responded")
    assert "Symptoms after trauma; ketamine is studied as a treatment." in text


def test_the_search_page_says_so_when_nothing_matches(client, library):
    """No results: the page says so and points to the full list."""
    text = visible_text(client.get("/search/", {"q": "zebrafish"}).content.decode())
    assert "No results for “zebrafish”" in text
    assert "All clinical conditions" in text


def test_the_search_page_escapes_the_query(client, library):
    """What a visitor types is shown as text, never as markup."""
    html = client.get("/search/", {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_rebuild_library_recreates_the_entries_of_the_live_pages_only(library, people):
    """The command rebuilds every live page's entry and nothing else."""
    from django.core.management import call_command

    from tests.conftest import make_condition

    make_condition(people[0], slug="draft-only", title="Draft only")
    SearchEntry.objects.all().delete()
    call_command("rebuild_library", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert sorted(SearchEntry.objects.values_list("slug", flat=True)) == [
        "body-dysmorphic-disorder",
        "ptsd",
        "treatment-resistant-depression",
        "treatment-resistant-ocd",
    ]
    assert slugs("6B20") == ["treatment-resistant-ocd"]
