"""Sitemap, robots.txt and the Atom feed: machines find every live page and only those."""

import xml.etree.ElementTree as ET

import pytest
from django.core.cache import cache

from reviews import workflow
from tests.conftest import make_condition
from tests.library import publish_neighbours

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()


@pytest.fixture
def library(demo, editor, physician_user, publisher):
    publish_neighbours((editor, physician_user, publisher))
    return demo.condition


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.find(f"{SITEMAP}loc").text: url.find(f"{SITEMAP}lastmod").text
        for url in root.iter(f"{SITEMAP}url")
    }


def test_the_sitemap_lists_live_pages_with_their_last_review(client, library):
    """Each condition page appears once, lastmod the date of its live sign-off."""
    urls = sitemap(client)
    assert urls["http://testserver/conditions/treatment-resistant-ocd/"] == "2026-06-02"
    assert "http://testserver/conditions/ptsd/" in urls
    assert "http://testserver/conditions/" in urls


def test_the_sitemap_lists_treatment_pages_dated_by_their_newest_review(client, library):
    """A treatment page is as fresh as the newest review of the pages that present it."""
    urls = sitemap(client)
    assert urls["http://testserver/treatments/clomipramine/"] == "2026-06-02"
    assert "http://testserver/treatments/ketamine-infusion/" in urls


def test_drafts_and_unpublished_pages_stay_out_of_the_sitemap(client, library, editor, publisher):
    """Only what the public can read is listed."""
    make_condition(editor, slug="draft-page")
    workflow.unpublish(library, publisher, "Withdrawn.")
    urls = sitemap(client)
    assert not any("draft-page" in url for url in urls)
    assert "http://testserver/conditions/treatment-resistant-ocd/" not in urls
    assert "http://testserver/treatments/clomipramine/" not in urls


def test_the_sitemap_is_built_once_until_a_page_is_published_or_unpublished(
    client, library, publisher, monkeypatch, settings
):
    """Building it reads every live page (seconds at 10,000): a process keeps the answer
    until the live set changes, and the change shows at once."""
    from conditions import sitemaps

    settings.PAGE_MEMORY_CACHE_ENTRIES = 10  # the tests keep nothing in process memory

    built = []
    framework = sitemaps.sitemap
    monkeypatch.setattr(sitemaps, "sitemap", lambda *a, **k: built.append(1) or framework(*a, **k))
    first = sitemap(client)
    assert sitemap(client) == first
    assert len(built) == 1
    workflow.unpublish(library, publisher, "Withdrawn.")
    assert "http://testserver/conditions/treatment-resistant-ocd/" not in sitemap(client)
    assert len(built) == 2


def test_the_sitemap_uses_site_url_when_set(client, library, settings):
    """Behind a proxy, the sitemap names the public origin."""
    settings.SITE_URL = "https://library.example"
    assert "https://library.example/conditions/ptsd/" in sitemap(client)


def test_robots_txt_points_to_the_sitemap_and_keeps_search_results_out(client, db):
    """Crawlers may read everything but search results, and learn where the sitemap is."""
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /search/" in lines
    assert "Disallow: /es/search/" in lines  # the Spanish search's results too
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_the_feed_lists_recently_reviewed_pages_newest_first(client, library):
    """An Atom feed whose entries are the live pages, newest review first, with the reviewer."""
    response = client.get("/feeds/reviewed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]
    assert len(titles) == 4
    assert titles[-1] == "Treatment-Resistant OCD"
    ocd = entries[-1]
    assert ocd.find(f"{ATOM}updated").text.startswith("2026-06-02")
    assert ocd.find(f"{ATOM}author/{ATOM}name").text == "Dr. Ben Soffer, DO"
    assert ocd.find(f"{ATOM}link").get("href").endswith("/conditions/treatment-resistant-ocd/")


def test_pages_announce_the_feed(client, library):
    """Every page links the feed for readers that discover it."""
    html = client.get("/conditions/").content.decode()
    assert 'type="application/atom+xml"' in html
    assert 'href="/feeds/reviewed.atom"' in html


def test_a_script_in_a_summary_reaches_feed_readers_as_text_never_as_markup(
    client, editor, physician_user, publisher
):
    """Summaries are plain text: the feed says type="text", so a reader shows the characters."""
    from tests.conftest import publish_page

    typed = '<script>alert("feed")</script> Exposure & response prevention.'
    publish_page(editor, physician_user, publisher, "scripted", summary=typed)
    response = client.get("/feeds/reviewed.atom")

    summary = ET.fromstring(response.content).find(f"{ATOM}entry/{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == typed
    assert b"<script" not in response.content
    assert b'type="html"' not in response.content
