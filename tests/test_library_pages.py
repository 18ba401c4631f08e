"""The index, the home page and the error pages."""

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string

from reviews import workflow
from tests.library import publish_neighbours
from tests.pagetext import visible_text
from tests.test_api import page as page  # noqa: F401 - the fixture, by its name


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


@pytest.fixture
def library(demo, editor, physician_user, publisher):
    publish_neighbours((editor, physician_user, publisher))
    return demo.condition


def test_the_index_groups_pages_by_the_clinics_indication_status(client, library):
    """Established indications first, then case by case, then not an indication; by title."""
    text = visible_text(client.get("/conditions/").content.decode())
    order = [
        "Established indications at Tovani (2)",
        "Considered case by case at Tovani (1)",
        "Not an indication at Tovani (1)",
    ]
    assert all(group in text for group in order)
    headings = [text.rindex(h.rsplit(" (", 1)[0]) for h in order]
    assert headings == sorted(headings)
    established = text[headings[0] : headings[1]]
    assert established.index("Post-Traumatic") < established.index("Treatment-Resistant Depression")
    assert "Treatment-Resistant OCD" in text[headings[2] :]


def test_each_listed_page_shows_its_summary_and_last_review(client, library):
    """Summary, reviewer and last-reviewed date under each title."""
    text = visible_text(client.get("/conditions/").content.decode())
    assert "Preoccupation with perceived flaws in appearance" in text
    assert "Not an indication · Reviewed by Dr. Ben Soffer, DO on June 2, 2026" in text


def test_the_home_page_is_the_index(client, library):
    """/ shows All clinical conditions, with /conditions/ as its canonical address."""
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>All clinical conditions</h1>" in html
    assert '<link rel="canonical" href="http://testserver/conditions/">' in html


def test_the_index_follows_a_publish_and_an_unpublish_at_once(client, library, publisher):
    """The cached index is keyed by the live set, so changes show on the next request."""
    assert "Treatment-Resistant OCD" in client.get("/conditions/").content.decode()
    workflow.unpublish(library, publisher, "Withdrawn.")
    assert "Treatment-Resistant OCD" not in client.get("/conditions/").content.decode()


def test_the_index_answers_304_while_the_library_is_unchanged(client, library, publisher):
    """The index's ETag names the live set; a publish or unpublish changes it."""
    etag = client.get("/conditions/")["ETag"]
    assert client.get("/conditions/", headers={"if-none-match": etag}).status_code == 304
    workflow.unpublish(library, publisher, "Withdrawn.")
    assert client.get("/conditions/", headers={"if-none-match": etag}).status_code == 200


def test_an_unknown_address_gets_the_librarys_own_not_found_page(client, db):
    """404 keeps the site's header, says what happened and offers a way on."""
    response = client.get("/conditions/nowhere/")
    text = visible_text(response.content.decode())
    assert response.status_code == 404
    assert "Page not found" in text
    assert "All clinical conditions" in text
    assert 'role="search"' in response.content.decode()


def test_the_server_error_page_needs_no_context_and_no_database():
    """500.html renders from nothing, as Django's handler does (no database: this test has none)."""
    html = render_to_string("500.html")
    assert "Something went wrong" in visible_text(html)
    assert 'href="/conditions/"' in html


def test_the_index_comes_in_pages_of_a_bounded_size(client, library, settings):
    """INDEX_PAGE_SIZE entries a page, the groups in order across pages, the whole groups'
    counts and where each starts on every page; past the last page, or not a number, a 404."""
    settings.INDEX_PAGE_SIZE = 2
    first = client.get("/conditions/").content.decode()
    second = client.get("/conditions/?page=2").content.decode()

    assert first.count('<li>\n  <h3><a href="/conditions/') == 2
    assert second.count('<li>\n  <h3><a href="/conditions/') == 2
    assert "Treatment-Resistant OCD" in visible_text(second)
    assert "Treatment-Resistant OCD" not in visible_text(first)
    for html in (first, second):
        assert "Not an indication at Tovani (1)" in visible_text(html)
        assert '<nav class="pagination" aria-label="Pages of the index">' in html
    assert '<a href="?page=2#case_by_case">' in first
    assert '<a aria-current="page">2</a>' in second
    assert '<link rel="canonical" href="http://testserver/conditions/?page=2">' in second
    for address in ("/conditions/?page=3", "/conditions/?page=0", "/conditions/?page=two"):
        assert client.get(address).status_code == 404, address


def test_a_library_that_fits_one_page_shows_no_page_links(client, library):
    assert "pagination" not in client.get("/conditions/").content.decode()


def index_page_built_cold(client, django_assert_max_num_queries, limit):
    """Entries read (and queries made) building the index's first page with nothing kept."""
    from django.db.models.signals import post_init

    from conditions.models import SearchEntry
    from tests.conftest import _forget_process_memory

    _forget_process_memory()
    cache.clear()
    read = []

    def count(sender, instance, **kwargs):
        read.append(instance.pk)

    post_init.connect(count, sender=SearchEntry)
    try:
        with django_assert_max_num_queries(limit) as queries:
            assert client.get("/conditions/").status_code == 200
    finally:
        post_init.disconnect(count, sender=SearchEntry)
    return len(read), len(queries)


def test_building_an_index_page_reads_only_its_own_entries(
    client, page, settings, django_assert_max_num_queries
):
    """The groups' counts come from one aggregate: from 4 to 12 live pages, a cold page of two
    entries reads two entries and makes the same number of queries."""
    settings.INDEX_PAGE_SIZE = 2
    for number in range(4):
        page(f"small-{number}")
    read, queries = index_page_built_cold(client, django_assert_max_num_queries, 20)
    assert read == 2
    for number in range(8):
        page(f"more-{number}")
    assert index_page_built_cold(client, django_assert_max_num_queries, 20) == (read, queries)
