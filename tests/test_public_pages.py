"""Public pages: what a visitor reads is the live publication, rendered faithfully and cheaply."""

import pytest
from django.core.cache import cache

from conditions.models import Condition
from reviews import workflow
from tests.conftest import PASSWORD, add_key_point, edit, make_condition, make_reference
from tests.pagetext import seed_sentences, squeeze, visible_text

DEMO_URL = "/conditions/treatment-resistant-ocd/"
STAMP = "Last reviewed by Dr. Ben Soffer, DO on June 2, 2026."


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


def test_the_demo_page_shows_every_sentence_of_the_seed_page(client, demo):
    """The published OCD page carries the seed page's text, sentence for sentence."""
    page = squeeze(visible_text(client.get(DEMO_URL).content.decode()))
    sentences = seed_sentences()
    missing = [s for s in sentences if squeeze(s) not in page]
    assert len(sentences) > 60
    assert missing == []


def test_the_demo_page_carries_the_exact_review_stamp(client, demo):
    """The stamp is the live publication's sign-off, worded as on the seed page."""
    assert STAMP in visible_text(client.get(DEMO_URL).content.decode())


def test_the_demo_page_numbers_citations_and_links_them_to_the_references(client, demo):
    """Citation numbers link to the numbered references, and PMIDs link to PubMed."""
    html = client.get(DEMO_URL).content.decode()
    assert '<a href="#ref-1" id="cite-1-1" aria-label="Reference 1">1</a>' in html
    assert '<li id="ref-3">' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/23783065/"' in html
    assert "Hirschtritt ME et al. 2017" in html


def test_the_sections_follow_the_seed_page_order(client, demo):
    """Headings appear in the seed page's reading order."""
    text = visible_text(client.get(DEMO_URL).content.decode())
    headings = [
        "All clinical conditions",
        "Clinical condition",
        "Treatment-Resistant OCD",
        "DSM-5 300.3 / ICD-11 6B20 (refractory)",
        "Common ways people search for this",
        "The short version",
        "Clinical definition",
        "How it differs from related conditions",
        "First-line treatments",
        "When standard treatments fail",
        "Where ketamine fits",
        "Where this fits with Tovani",
        "Frequently asked",
        "References",
        "Last reviewed by",
    ]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)


def test_the_index_lists_live_pages_with_their_review_date(client, demo):
    """All clinical conditions lists the published page, its summary and last review."""
    text = visible_text(client.get("/conditions/").content.decode())
    assert "Treatment-Resistant OCD" in text
    assert "Reviewed by Dr. Ben Soffer, DO on June 2, 2026" in text


def test_a_draft_edit_does_not_reach_the_public_page(client, published, editor):
    """After publishing, editing the draft leaves the public page as it was signed."""
    edit(published, editor, summary="Unreviewed claim that must not be shown.")
    html = client.get(published.get_absolute_url()).content.decode()
    assert "A page used by the tests." in html
    assert "Unreviewed claim" not in html


def test_a_page_never_published_is_not_found(client, condition):
    """Drafts have no public address."""
    assert client.get(condition.get_absolute_url()).status_code == 404


def test_a_new_sign_off_and_publish_shows_the_new_text_and_stamp(
    client, published, editor, physician_user, publisher
):
    """Once a physician signs the edit and it is published, the public page shows it."""
    edit(published, editor, summary="Reviewed new summary.")
    workflow.sign_off(published, physician_user, PASSWORD)
    workflow.publish(published, publisher)
    text = visible_text(client.get(published.get_absolute_url()).content.decode())
    assert "Reviewed new summary." in text
    assert "Last reviewed by Dr. Gregory House, MD on" in text


def test_public_pages_carry_validators_and_answer_304_when_unchanged(client, published):
    """ETag and Last-Modified are set; a matching If-None-Match gets 304 Not Modified."""
    response = client.get(published.get_absolute_url())
    assert response["ETag"]
    assert response["Last-Modified"]
    assert "public" in response["Cache-Control"]
    assert "s-maxage" in response["Cache-Control"]
    again = client.get(published.get_absolute_url(), headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("reference_count", [3, 60])
def test_a_condition_page_costs_at_most_two_queries_whatever_its_size(
    client, editor, physician_user, publisher, django_assert_max_num_queries, reference_count
):
    """The query count does not grow with the number of references cited."""
    condition = make_condition(editor, slug="big-page")
    for number in range(reference_count):
        make_reference(f"ref{number}", pmid=str(1000 + number))
        add_key_point(condition, f"Point {number} [@ref{number}].", order=number)
    workflow.sign_off(condition, physician_user, PASSWORD)
    workflow.publish(condition, publisher)
    cache.clear()
    with django_assert_max_num_queries(2):
        response = client.get("/conditions/big-page/")
    assert response.content.decode().count('class="ref-source"') == reference_count


def test_an_unknown_slug_is_not_found(client, db):
    """A slug no page is published at answers 404."""
    assert client.get("/conditions/no-such-page/").status_code == 404
    assert not Condition.objects.exists()


def test_publishing_renders_the_page_once_and_keeps_it_beside_the_publication(published):
    """The rendering is made inside publish(), so no visitor waits for it."""
    from publishing.models import PageRendering
    from reviews.workflow import live_publication

    rendering = PageRendering.objects.get(
        publication=live_publication(published), template="conditions/detail.html"
    )
    assert "A page used by the tests." in rendering.html
    assert "https://origin.invalid/conditions/test-condition/" in rendering.html


def test_one_rendering_serves_every_origin(client, published, settings):
    """The origin is filled in per request: SITE_URL, or the host asked for."""
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    html = client.get(published.get_absolute_url()).content.decode()
    other = client.get(published.get_absolute_url(), headers={"host": "other.example"})
    assert 'href="http://testserver/conditions/test-condition/"' in html
    assert 'href="http://other.example/conditions/test-condition/"' in other.content.decode()
    assert "origin.invalid" not in html


def test_after_a_template_deploy_the_page_is_rendered_again_on_first_view(
    client, published, settings, django_assert_num_queries
):
    """A new PAGE_CACHE_VERSION ignores old renderings; the first view stores a new one."""
    from publishing.models import PageRendering

    settings.PAGE_CACHE_VERSION = "2"
    client.get(published.get_absolute_url())
    cache.clear()
    # The pointer finds no rendering of version 2 (the first view stored one: it is found).
    with django_assert_num_queries(1):
        response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    assert PageRendering.objects.filter(version="2").count() == 1


def test_the_live_pointer_names_the_publication_as_the_publication_does(published):
    """The one-query pointer carries the live publication's id, digest, date and rendering."""
    from conditions.pages import PAGE
    from conditions.selectors import live_pointer_or_404
    from reviews.workflow import live_publication

    pointer = live_pointer_or_404(Condition, published.slug, PAGE)
    publication = live_publication(published)
    assert pointer.pk == publication.pk
    assert pointer.digest == publication.digest
    assert pointer.published_at == publication.published_at
    assert pointer.rendered_at == publication.published_at
    assert publication.title.encode() in pointer.body


def test_a_process_serves_a_page_it_served_before_from_its_own_memory(
    client, published, settings, django_assert_num_queries
):
    """With the shared cache emptied, the process's memory still answers: one query, no more."""
    from publishing.page_cache import memory_pages

    settings.PAGE_MEMORY_CACHE_ENTRIES = 10
    memory_pages.clear()
    try:
        first = client.get(published.get_absolute_url())
        cache.clear()
        with django_assert_num_queries(1):
            again = client.get(published.get_absolute_url())
        assert again.content == first.content
    finally:
        memory_pages.clear()


def test_the_process_memory_keeps_only_the_most_recent_pages(settings):
    """Least recently used pages leave first once the limit is reached."""
    from tovani.process_memory import ProcessMemory

    settings.PAGE_MEMORY_CACHE_ENTRIES = 2
    pages = ProcessMemory(limit=lambda: settings.PAGE_MEMORY_CACHE_ENTRIES)
    pages.set("a", "A")
    pages.set("b", "B")
    assert pages.get("a") == "A"
    pages.set("c", "C")
    assert (pages.get("a"), pages.get("b"), pages.get("c")) == ("A", None, "C")


def test_a_process_memory_with_no_room_keeps_nothing(settings):
    from tovani.process_memory import ProcessMemory

    settings.PAGE_MEMORY_CACHE_ENTRIES = 0
    pages = ProcessMemory(limit=lambda: settings.PAGE_MEMORY_CACHE_ENTRIES)
    pages.set("a", "A")
    assert pages.get("a", "nothing") == "nothing"
    settings.PAGE_MEMORY_CACHE_ENTRIES = 1
    pages.set("a", "A")
    assert pages.get("a") == "A"


def test_a_page_not_in_any_cache_costs_one_query_with_its_stored_rendering(
    client, published, settings, django_assert_num_queries
):
    """The live pointer and the rendering stored at publish come in the same query."""
    from django.core.cache import cache

    client.get(published.get_absolute_url())  # content types, once per process
    cache.clear()
    with django_assert_num_queries(1):
        response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    assert "Last reviewed by Dr. Gregory House, MD" in response.content.decode()


class TestRecentPointers:
    """Each process remembers the live pointer for PAGE_POINTER_SECONDS."""

    @pytest.fixture(autouse=True)
    def remembered(self, settings):
        from publishing.page_cache import memory_pages
        from publishing.pointers import recent_pointers

        settings.PAGE_POINTER_SECONDS = 2
        settings.PAGE_MEMORY_CACHE_ENTRIES = 10
        recent_pointers.clear()
        memory_pages.clear()
        yield
        recent_pointers.clear()
        memory_pages.clear()

    def test_a_page_read_again_within_the_time_costs_no_query(
        self, client, published, django_assert_num_queries
    ):
        client.get(published.get_absolute_url())
        with django_assert_num_queries(0):
            response = client.get(published.get_absolute_url())
        assert response.status_code == 200

    def test_an_unpublished_page_is_gone_once_the_time_is_up(
        self, client, published, publisher, monkeypatch
    ):
        import time

        from reviews import workflow

        assert client.get(published.get_absolute_url()).status_code == 200
        workflow.unpublish(published, publisher, "Withdrawn.")
        later = time.monotonic() + 3
        monkeypatch.setattr(time, "monotonic", lambda: later)
        assert client.get(published.get_absolute_url()).status_code == 404

    def test_turned_off_every_request_asks_the_database(
        self, client, published, publisher, settings
    ):
        from reviews import workflow

        settings.PAGE_POINTER_SECONDS = 0
        assert client.get(published.get_absolute_url()).status_code == 200
        workflow.unpublish(published, publisher, "Withdrawn.")
        assert client.get(published.get_absolute_url()).status_code == 404


def test_a_template_deploy_changes_the_pages_etag_and_last_modified(
    client, condition, physician_user, publisher, settings
):
    """A cache holding the old page must not revalidate it to 304 after PAGE_CACHE_VERSION
    changes: neither by ETag nor by date."""
    from datetime import timedelta

    from django.utils import timezone

    from reviews import clock

    with clock.frozen_at(timezone.now() - timedelta(hours=1)):
        workflow.sign_off(condition, physician_user, PASSWORD)
        workflow.publish(condition, publisher)
    old = client.get(condition.get_absolute_url())
    validators = {
        "HTTP_IF_NONE_MATCH": old["ETag"],
        "HTTP_IF_MODIFIED_SINCE": old["Last-Modified"],
    }
    assert client.get(condition.get_absolute_url(), **validators).status_code == 304
    settings.PAGE_CACHE_VERSION = "after-a-deploy"
    new = client.get(condition.get_absolute_url(), **validators)
    assert new.status_code == 200
    assert new["ETag"] != old["ETag"]
    assert new["Last-Modified"] != old["Last-Modified"]
    only_date = {"HTTP_IF_MODIFIED_SINCE": old["Last-Modified"]}
    assert client.get(condition.get_absolute_url(), **only_date).status_code == 200


def test_a_template_deploy_changes_the_listings_etag(client, published, settings):
    """The index and treatment pages are kept under an ETag that names the version too."""
    old = client.get("/conditions/")
    settings.PAGE_CACHE_VERSION = "after-a-deploy"
    new = client.get("/conditions/", HTTP_IF_NONE_MATCH=old["ETag"])
    assert new.status_code == 200
    assert new["ETag"] != old["ETag"]


def test_without_site_url_another_host_port_is_not_reflected_nor_cached(
    client, published, settings
):
    """Host: testserver:1234 names a port the server does not answer on: links stay on the
    server's own address, and the shared cache gains no entry for it."""
    settings.SITE_URL = ""
    settings.PAGE_MEMORY_CACHE_ENTRIES = 10
    from publishing.page_cache import memory_pages

    plain = client.get(published.get_absolute_url()).content.decode()
    entries = len(memory_pages._entries)
    for port in [1234, 8081, 65000]:
        html = client.get(
            published.get_absolute_url(), headers={"host": f"testserver:{port}"}
        ).content.decode()
        assert f":{port}" not in html
        assert html == plain
    assert len(memory_pages._entries) == entries
    assert 'href="http://testserver/conditions/test-condition/"' in plain


def test_without_site_url_a_host_outside_allowed_hosts_is_refused(client, published, settings):
    """In development only ALLOWED_HOSTS hosts are answered, so no other host makes entries."""
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["testserver"]
    response = client.get(published.get_absolute_url(), headers={"host": "evil.example"})
    assert response.status_code == 400
