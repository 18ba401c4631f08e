"""Translators' round trip: XLIFF 1.2 and PO files, read and written by a third-party tool
(translate-toolkit), import cleanly; a stale, foreign or unsafe file is refused."""

import pytest
from translate.storage import pypo, xliff

from tests.test_translation_staleness import republish_answer
from tests.translating import SPANISH, english_page, spanish_text, translator_user
from translations import editing, exchange
from translations.errors import TranslationError


@pytest.fixture
def translator(db):
    return translator_user()


@pytest.fixture
def english(editor, physician_user, publisher):
    return english_page(editor, physician_user, publisher)


@pytest.fixture
def translation(english, translator):
    return editing.start_translation(english, "es", translator)


def through_toolkit_xliff(content: str, fill) -> str:
    """What a translator's tool does: parse, fill each target, save."""
    store = xliff.xlifffile.parsestring(content.encode("utf-8"))
    for unit in store.units:
        if unit.isheader():
            continue
        # translate-toolkit names a unit by its file and id: "original\x04id".
        unit.target = fill(unit.getid().split("\x04")[-1], unit.source)
    return bytes(store).decode("utf-8")


def through_toolkit_po(content: str, fill) -> str:
    store = pypo.pofile.parsestring(content.encode("utf-8"))
    for unit in store.units:
        if unit.isheader():
            continue
        unit.target = fill(unit.getcontext(), unit.source)
    return bytes(store).decode("utf-8")


def filler(translation):
    by_key = {segment.key: spanish_text(segment) for segment in translation.ordered_segments()}
    return lambda key, source: by_key[key]


@pytest.mark.parametrize(
    ("export", "tool"),
    [(exchange.export_xliff, through_toolkit_xliff), (exchange.export_po, through_toolkit_po)],
    ids=["xliff", "po"],
)
def test_a_file_filled_in_by_a_third_party_tool_imports_cleanly(
    translation, translator, export, tool
):
    """Every segment comes back translated, and the page can be submitted."""
    from reviews import workflow

    filled = tool(export(translation), filler(translation))
    assert exchange.import_file(translation, filled, translator) == translation.segments.count()
    assert translation.segments.get(label="Summary").text == SPANISH["summary"]
    workflow.submit_for_review(translation, translator)


@pytest.mark.parametrize(
    ("export", "tool"),
    [(exchange.export_xliff, through_toolkit_xliff), (exchange.export_po, through_toolkit_po)],
    ids=["xliff", "po"],
)
def test_a_file_that_drops_a_citation_or_changes_a_dose_is_refused(
    translation, translator, export, tool
):
    """[@murrough2013] dropped, or 0.5 mg/kg turned into 5 mg/kg: nothing is imported."""
    fill = filler(translation)
    for wrong in [
        "La dosis habitual es 0,5 mg/kg durante 40 minutos.",
        "La dosis habitual es 5 mg/kg durante 40 minutos [@murrough2013].",
    ]:
        content = tool(
            export(translation),
            lambda key, source, wrong=wrong: (
                wrong if key.startswith("key_point:") else fill(key, source)
            ),
        )
        with pytest.raises(TranslationError, match="“Key point 1”"):
            exchange.import_file(translation, content, translator)
    assert all(segment.is_missing for segment in translation.ordered_segments())


def test_twenty_milligrams_becoming_twenty_five_is_refused_on_import(translation, translator):
    """The example of the dose that must not change."""
    segment = translation.segments.get(label="Answer 2")
    segment.english = "Take 20 mg."
    segment.save()
    content = through_toolkit_po(
        exchange.export_po(translation),
        lambda key, source: "Tome 25 mg." if source == "Take 20 mg." else "",
    )
    with pytest.raises(TranslationError, match="“Answer 2” changes a number or unit"):
        exchange.import_file(translation, content, translator)


def test_a_file_made_from_older_english_is_refused(
    english, translation, translator, editor, physician_user, publisher
):
    """After the English is republished, the old file's digest no longer matches."""
    content = through_toolkit_xliff(exchange.export_xliff(translation), filler(translation))
    republish_answer(
        english, editor, physician_user, publisher, "Blood pressure is watched closely."
    )
    translation.refresh_from_db()
    with pytest.raises(TranslationError, match="earlier English version"):
        exchange.import_file(translation, content, translator)


def test_a_file_for_another_translation_is_refused(
    translation, translator, editor, physician_user, publisher
):
    """A file names its translation; another page's file does not fit."""
    other = editing.start_translation(
        english_page(editor, physician_user, publisher, slug="other-page"), "es", translator
    )
    content = exchange.export_po(other)
    with pytest.raises(TranslationError, match="is for the translation “es-conditions-other-page”"):
        exchange.import_file(translation, content, translator)
