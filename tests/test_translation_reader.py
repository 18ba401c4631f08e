"""Readers of a Spanish page: /es/ before the English address, lang="es", alternates both
languages, a stamp and interface in Spanish through gettext, and structured data naming the
English page it translates."""

import json
import re
from xml.etree import ElementTree

import polib
import pytest
from django.conf import settings
from django.utils import timezone

from purges.models import Purge
from reviews import workflow
from tests.conftest import PASSWORD
from tests.pagetext import visible_text
from tests.test_translation_staleness import republish_answer
from tests.translating import english_page, spanish_physician, translated_page, translator_user

URL = "/es/conditions/test-condition/"


@pytest.fixture
def spanish(editor, physician_user, publisher):
    english = english_page(editor, physician_user, publisher)
    translation = translated_page(english, translator_user())
    workflow.sign_off(translation, spanish_physician(), PASSWORD)
    workflow.publish(translation, publisher)
    return english, translation


def test_a_draft_translation_is_not_public(client, editor, physician_user, publisher):
    """Until signed and published, /es/… answers 404."""
    translated_page(english_page(editor, physician_user, publisher), translator_user())
    assert client.get(URL).status_code == 404


def test_the_spanish_page_is_in_spanish_at_its_documented_address(client, spanish):
    """lang="es", Content-Language, the Spanish title and interface strings."""
    response = client.get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    assert '<html lang="es">' in html
    text = visible_text(html)
    assert "Trastorno de prueba" in text
    assert "Preguntas frecuentes" in text
    assert "Saltar al contenido" in text
    assert "Frequently asked" not in text


def test_the_stamp_says_who_reviewed_it_and_which_english_it_translates_in_spanish(client, spanish):
    """ "Revisado por …" and "Traducido de la versión en inglés del …", dates in Spanish."""
    text = visible_text(client.get(URL).content.decode())
    assert "Revisado por Dr. Lucía García Demo, MD el " in text
    assert re.search(r"Traducido de la versión en inglés del \d{1,2} de \w+ de \d{4}\.", text)
    assert "Cómo se hizo esta traducción" in text
    assert "adecuación cultural" in text


def test_the_pages_name_each_other_as_alternates(client, spanish):
    """hreflang es and en on the Spanish page, with a link to read the English."""
    html = client.get(URL).content.decode()
    origin = "http://testserver"
    assert f'<link rel="alternate" hreflang="es" href="{origin}{URL}">' in html
    assert (
        f'<link rel="alternate" hreflang="en" href="{origin}/conditions/test-condition/">' in html
    )
    assert 'href="http://testserver/conditions/test-condition/" hreflang="en" lang="en"' in html


def test_the_english_page_links_to_its_live_spanish_version_and_drops_the_link_after(
    client, spanish, publisher, django_capture_on_commit_callbacks
):
    """The English page names the Spanish as its hreflang alternate and offers "Leer en
    español" while the translation is live; the link goes when it comes down, with a purge of
    the English page and a new ETag."""
    english, translation = spanish
    origin, english_url = "http://testserver", "/conditions/test-condition/"
    linked = client.get(english_url)
    html = linked.content.decode()
    assert f'<link rel="alternate" hreflang="en" href="{origin}{english_url}">' in html
    assert f'<link rel="alternate" hreflang="es" href="{origin}{URL}">' in html
    assert f'<link rel="alternate" hreflang="x-default" href="{origin}{english_url}">' in html
    assert f'<a href="{URL}" hreflang="es" lang="es">Leer en español</a>' in html

    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(translation, publisher, "Being revised.")
    unlinked = client.get(english_url, HTTP_IF_NONE_MATCH=linked["ETag"])

    assert unlinked.status_code == 200
    assert "hreflang" not in unlinked.content.decode()
    assert "Leer en español" not in unlinked.content.decode()
    purged = Purge.objects.filter(reason=Purge.Reason.ALONGSIDE, object_id=english.pk)
    assert purged.count() == 2, "once as the Spanish went live, once as it came down"


def test_structured_data_names_the_language_and_the_english_work(client, spanish):
    """JSON-LD inLanguage es and translationOfWork the English page."""
    html = client.get(URL).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', html, re.S).group(1)
    )
    assert data["inLanguage"] == "es"
    assert data["translationOfWork"]["@id"] == "http://testserver/conditions/test-condition/"


def test_a_clinically_significant_english_change_shows_readers_a_notice(
    client, spanish, editor, physician_user, publisher
):
    """Under the default policy the page stays up and says it is being updated."""
    english, _ = spanish
    assert "se está actualizando" not in visible_text(client.get(URL).content.decode())
    republish_answer(english, editor, physician_user, publisher, "Stop if pressure rises.", True)
    text = visible_text(client.get(URL).content.decode())
    assert (
        "cambió de forma clínicamente significativa; esta traducción se está actualizando" in text
    )


def translated(entry):
    """An entry's translation: its text or its plural forms (a plural with none: untranslated)."""
    plurals = {int(n): text for n, text in entry.msgstr_plural.items() if text}
    return entry.msgstr or plurals or ""


def test_the_compiled_messages_match_the_message_file():
    """locale/es: every translated string of django.po is in the committed django.mo."""
    directory = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES"
    source = {e.msgid: translated(e) for e in polib.pofile(directory / "django.po")}
    compiled = {e.msgid: translated(e) for e in polib.mofile(directory / "django.mo") if e.msgid}
    source = {msgid: text for msgid, text in source.items() if text}
    assert source == compiled
    assert source["Frequently asked"] == "Preguntas frecuentes"


def test_the_sitemap_lists_both_languages(client, spanish):
    """The English page and its Spanish version, each at its own address."""
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/conditions/test-condition/</loc>" in xml
    assert f"<loc>http://testserver{URL}</loc>" in xml


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def sitemap_urls(client) -> list[tuple[str, str | None, dict]]:
    """(loc, lastmod, {hreflang: href}) of each <url> in the sitemap, in order."""
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    found = []
    for url in root.iter(f"{SITEMAP}url"):
        lastmod = url.find(f"{SITEMAP}lastmod")
        links = {
            link.get("hreflang"): link.get("href")
            for link in url.iter(f"{XHTML}link")
            if link.get("rel") == "alternate"
        }
        found.append(
            (url.find(f"{SITEMAP}loc").text, None if lastmod is None else lastmod.text, links)
        )
    return found


def test_the_sitemap_lists_the_spanish_index_once_it_lists_a_page(
    client, editor, physician_user, publisher
):
    """No Spanish index while no Spanish page is live; then /es/conditions/, dated by its newest
    review, with the English index as its alternate and the English index naming it back."""
    english = english_page(editor, physician_user, publisher)
    assert all("/es/" not in loc for loc, _, _ in sitemap_urls(client))
    translation = translated_page(english, translator_user())
    workflow.sign_off(translation, spanish_physician(), PASSWORD)
    workflow.publish(translation, publisher)

    urls = {loc: (lastmod, links) for loc, lastmod, links in sitemap_urls(client)}
    origin = "http://testserver"
    # The sitemap dates every address in the site's time zone.
    signed_at = workflow.live_publication(translation).sign_off.signed_at
    signed = timezone.localtime(signed_at).date().isoformat()
    both = {
        "en": f"{origin}/conditions/",
        "es": f"{origin}/es/conditions/",
        "x-default": f"{origin}/conditions/",
    }
    assert urls[f"{origin}/es/conditions/"] == (signed, both)
    assert urls[f"{origin}/conditions/"][1] == both


def test_the_sitemap_names_each_pages_language_versions_both_ways(client, spanish):
    """The English page and its Spanish version each carry xhtml:link alternates to the other
    (and x-default the English); every address is listed once."""
    origin = "http://testserver"
    found = sitemap_urls(client)
    locs = [loc for loc, _, _ in found]
    assert len(locs) == len(set(locs)), "each address once"
    urls = {loc: links for loc, _, links in found}
    both = {
        "en": f"{origin}/conditions/test-condition/",
        "es": f"{origin}{URL}",
        "x-default": f"{origin}/conditions/test-condition/",
    }
    assert urls[f"{origin}/conditions/test-condition/"] == both
    assert urls[f"{origin}{URL}"] == both


def test_the_sitemap_drops_a_spanish_page_and_its_alternates_as_it_comes_down(
    client, spanish, publisher
):
    english, translation = spanish
    workflow.unpublish(translation, publisher, "Being revised.")
    urls = {loc: links for loc, _, links in sitemap_urls(client)}
    assert f"http://testserver{URL}" not in urls
    assert "http://testserver/es/conditions/" not in urls
    assert urls["http://testserver/conditions/test-condition/"] == {}


def test_the_spanish_pages_lead_home_to_the_spanish_index(client, spanish):
    """The site's name and the footer's "all conditions" lead Spanish readers to /es/conditions/;
    English pages keep the English index."""
    for address in (URL, "/es/conditions/", "/es/search/?q=prueba"):
        html = client.get(address).content.decode()
        assert '<a class="site-name" href="/es/conditions/">' in html, address
        footer = html.split('<footer class="site-footer">')[1]
        assert '<a href="/es/conditions/">' in footer, address
    english = client.get("/conditions/test-condition/").content.decode()
    assert '<a class="site-name" href="/conditions/">' in english
