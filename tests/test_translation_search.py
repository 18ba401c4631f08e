"""Readers at /es/ find the Spanish pages: an index of the live Spanish condition pages and a
search over them (PostgreSQL's spanish configuration, a folded containment search on SQLite),
both with their interface in Spanish; the search rows follow the translation as it goes live
and comes down and are rebuilt by rebuild_library and a backup import."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from reviews import workflow
from tests.conftest import PASSWORD
from tests.pagetext import visible_text
from tests.translating import english_page, spanish_physician, translated_page, translator_user
from translations.read_model import TranslatedEntry
from translations.search import search

INDEX = "/es/conditions/"
SEARCH = "/es/search/"


@pytest.fixture
def spanish(editor, physician_user, publisher):
    english = english_page(editor, physician_user, publisher)
    translation = translated_page(english, translator_user())
    workflow.sign_off(translation, spanish_physician(), PASSWORD)
    workflow.publish(translation, publisher)
    return english, translation


def titles(query):
    return [entry.title for entry in search(query)]


def test_the_spanish_index_lists_live_spanish_pages_in_spanish(client, spanish):
    response = client.get(INDEX)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    assert '<html lang="es">' in html
    assert '<a href="/es/conditions/test-condition/">Trastorno de prueba</a>' in html
    text = visible_text(html)
    assert "Todas las afecciones clínicas" in text
    assert "Revisado por Dr. Lucía García Demo, MD el " in text
    assert '<link rel="alternate" hreflang="en" href="http://testserver/conditions/">' in html
    # Kept until a translation is published or taken down, as the English index is.
    assert client.get(INDEX, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_spanish_index_is_empty_until_a_translation_is_live(
    client, editor, physician_user, publisher
):
    translated_page(english_page(editor, physician_user, publisher), translator_user())
    text = visible_text(client.get(INDEX).content.decode())
    assert "Todavía no hay páginas publicadas en este idioma." in text
    assert "Trastorno de prueba" not in text


def test_search_finds_the_spanish_page_by_its_spanish_words(client, spanish):
    """Title, summary and body words, with or without accents."""
    assert titles("trastorno") == ["Trastorno de prueba"]
    assert titles("presión arterial") == ["Trastorno de prueba"]
    assert titles("presion") == ["Trastorno de prueba"]
    assert titles("¿Cuánto dura el efecto?") == ["Trastorno de prueba"]
    assert titles("glutamato") == []
    # English words are not in the Spanish text.
    assert titles("blood pressure") == []


def test_search_leaves_out_spanish_stop_words(spanish):
    """ "de" and "la" alone select every page; with other words they decide nothing."""
    assert titles("la prueba de") == ["Trastorno de prueba"]
    assert titles("de la ansiedad") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="stemming is PostgreSQL's")
def test_on_postgresql_the_spanish_configuration_stems_words(spanish):
    """ "vigilan" finds "vigila" and "pruebas" finds "prueba": the spanish stemmer."""
    assert titles("vigilan") == ["Trastorno de prueba"]
    assert titles("pruebas") == ["Trastorno de prueba"]
    entry = TranslatedEntry.objects.get()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vector::text FROM translations_translatedentry WHERE translation_id = %s",
            [entry.pk],
        )
        assert "'prueb'" in cursor.fetchone()[0]


def test_the_search_page_answers_in_spanish(client, spanish):
    response = client.get(SEARCH, {"q": "presión"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="es">' in html
    text = visible_text(html)
    assert "1 resultado para «presión»" in text
    assert "Trastorno de prueba" in text
    assert '<link rel="alternate" hreflang="en" href="http://testserver/search/?q=' in html
    nothing = visible_text(client.get(SEARCH, {"q": "glutamato"}).content.decode())
    assert "No hay resultados para «glutamato»" in nothing
    assert "Todas las afecciones clínicas" in nothing


def test_the_spanish_page_links_to_the_spanish_index_and_searches_in_spanish(client, spanish):
    html = client.get("/es/conditions/test-condition/").content.decode()
    assert f'<a href="{INDEX}">Todas las afecciones clínicas</a>' in html
    assert f'action="{SEARCH}"' in html


def test_the_search_row_comes_down_with_the_translation(client, spanish, publisher):
    _, translation = spanish
    assert TranslatedEntry.objects.filter(translation=translation).exists()
    workflow.unpublish(translation, publisher, reason="Withdrawn for the test.")
    assert not TranslatedEntry.objects.exists()
    assert titles("trastorno") == []
    assert "Trastorno de prueba" not in client.get(INDEX).content.decode()


def test_the_search_row_comes_down_with_its_english_page(spanish, publisher):
    english, _ = spanish
    workflow.unpublish(english, publisher, reason="Withdrawn for the test.")
    assert not TranslatedEntry.objects.exists()


def test_rebuild_library_writes_the_spanish_rows_again(spanish):
    _, translation = spanish
    TranslatedEntry.objects.all().delete()
    TranslatedEntry.objects.create(
        translation=translation,
        publication=translation.english_publication,
        language="es",
        english_kind="condition",
        path="/es/stale/",
        english_path="/stale/",
        title="Fila vieja",
        folded_title="fila vieja",
        last_reviewed=translation.english_publication.published_at,
        reviewed_by="nadie",
    )
    call_command("rebuild_library", stdout=io.StringIO())
    assert [e.title for e in TranslatedEntry.objects.all()] == ["Trastorno de prueba"]
    assert titles("trastorno") == ["Trastorno de prueba"]


def test_verify_library_names_a_changed_or_orphaned_search_row(spanish, publisher):
    """A row changed by SQL, or left behind by a page taken down, is named; rebuild repairs."""
    from reviews.verification import library_problems

    assert library_problems() == []
    TranslatedEntry.objects.update(title="Otra cosa")
    (problem,) = library_problems()
    assert "its search row is not what publication" in problem
    assert "(title)" in problem
    call_command("rebuild_library", stdout=io.StringIO())
    assert library_problems() == []
