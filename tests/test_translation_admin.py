"""The translator's screens: start a translation of a published page, write segments beside
their English, see what changed in a stale one, import and export files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.admin_forms import change_form_data
from tests.conftest import PASSWORD
from tests.test_translation_staleness import republish_answer
from tests.translating import SPANISH, english_page, translated_page, translator_user
from translations import exchange
from translations.models import Translation

START = "/admin/translations/translation/start/"


@pytest.fixture
def translator(db):
    return translator_user()


@pytest.fixture
def signed_in(client, translator):
    client.login(username=translator.username, password=PASSWORD)
    return client


def change_url(translation):
    return f"/admin/translations/translation/{translation.pk}/change/"


def test_a_translator_starts_a_translation_of_a_published_page(
    signed_in, editor, physician_user, publisher
):
    """The start screen lists live English pages; choosing one opens its segments."""
    english = english_page(editor, physician_user, publisher)
    page = signed_in.get(START)
    assert "Test Condition" in page.content.decode()
    choice = page.context["form"].fields["english"].choices[0][0]
    response = signed_in.post(START, {"english": choice, "language": "es"})
    translation = Translation.objects.get()
    assert response.url == change_url(translation)
    assert translation.english_id == english.pk
    assert translation.translator.username == "tomas"


def test_a_segment_written_on_the_change_page_is_saved_by_the_translator(
    signed_in, translator, editor, physician_user, publisher
):
    """The inline form's text goes through the editing rules."""
    from translations import editing

    translation = editing.start_translation(
        english_page(editor, physician_user, publisher), "es", translator
    )
    page = signed_in.get(change_url(translation))
    title = translation.segments.get(label="Title")
    forms = page.context["inline_admin_formsets"][0].formset.forms
    index = next(n for n, form in enumerate(forms) if form.instance.pk == title.pk)
    data = change_form_data(page, **{f"segments-{index}-text": SPANISH["title"]})
    assert signed_in.post(change_url(translation), data).status_code == 302
    title.refresh_from_db()
    assert title.text == SPANISH["title"]
    assert not title.is_stale


def test_a_stale_segment_shows_the_old_english_the_new_and_the_previous_translation(
    signed_in, translator, editor, physician_user, publisher
):
    """Was, now, what changed (ins) and the previous Spanish, on the change page."""
    english = english_page(editor, physician_user, publisher)
    translation = translated_page(english, translator)
    republish_answer(
        english, editor, physician_user, publisher, "Blood pressure is watched closely."
    )
    html = signed_in.get(change_url(translation)).content.decode()
    assert "<strong>Was:</strong> Blood pressure is watched.</p>" in html
    assert "<strong>Now:</strong> Blood pressure is watched closely.</p>" in html
    assert "<ins> closely</ins>" in html or "<ins>closely</ins>" in html
    assert f"<strong>Previous translation:</strong> {SPANISH['faq2_answer']}" in html
    assert "Stale: the English changed" in html


def test_a_translated_file_is_imported_on_its_screen(
    signed_in, translator, editor, physician_user, publisher
):
    """An exported PO file with one segment filled comes back in."""
    from translations import editing

    translation = editing.start_translation(
        english_page(editor, physician_user, publisher), "es", translator
    )
    content = exchange.export_po(translation).replace(
        'msgid "Test Condition"\nmsgstr ""', f'msgid "Test Condition"\nmsgstr "{SPANISH["title"]}"'
    )
    upload = SimpleUploadedFile("page.po", content.encode(), "text/x-gettext-translation")
    url = f"/admin/translations/translation/{translation.pk}/import/"
    assert signed_in.post(url, {"file": upload}).status_code == 302
    assert translation.segments.get(label="Title").text == SPANISH["title"]


def test_the_export_actions_give_xliff_and_po_files(
    signed_in, translator, editor, physician_user, publisher
):
    """The list's actions download the files, named after the translation."""
    from translations import editing

    translation = editing.start_translation(
        english_page(editor, physician_user, publisher), "es", translator
    )
    for action, extension in [("export_xliff", "xlf"), ("export_po", "po")]:
        response = signed_in.post(
            "/admin/translations/translation/",
            {"action": action, "_selected_action": [translation.pk]},
        )
        assert response.status_code == 200
        assert (
            f'filename="es-conditions-test-condition.{extension}"'
            in response["Content-Disposition"]
        )
