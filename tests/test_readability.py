"""Reading grades for editors and reviewers: advice against a target, never a block.

The Flesch-Kincaid grade (textstat) of each prose section shows on the change page and the
review screen against READABILITY_TARGET_GRADE (default 8); sections above it are flagged. A
page far above the target can still be submitted, signed off and published. The API gives the
page's grade.
"""

import re

from django.urls import reverse

from reviews import workflow
from tests.conftest import PASSWORD, edit
from tests.pagetext import visible_text
from tovani.readability import grade, readability

PLAIN = (
    "OCD is a common problem. People with OCD have thoughts they do not want. They also "
    "do things again and again to feel better. Talk therapy helps most people. Some people "
    "also take a pill each day. Ask your doctor what is best for you."
)
DENSE = (
    "Pharmacological augmentation strategies incorporating antipsychotic medications demonstrate "
    "heterogeneous effectiveness across randomized investigations, necessitating individualized "
    "consideration of cardiometabolic tolerability, neurological adverse consequences, and "
    "longitudinal monitoring requirements within specialized psychiatric management frameworks."
)


def test_plain_text_grades_low_and_dense_text_high():
    """Short words and sentences score a low grade; long ones a high grade."""
    assert grade(PLAIN) < 8 < grade(DENSE)


def test_text_too_short_to_grade_gets_no_grade():
    """A few words say nothing fair about reading level."""
    assert grade("A short summary.") is None


def test_sections_above_the_target_are_flagged(settings):
    """The target comes from settings; only sections above it are warnings."""
    result = readability([("Plain", [PLAIN]), ("Dense", [DENSE])])
    assert [section.section for section in result.warnings] == ["Dense"]
    settings.READABILITY_TARGET_GRADE = 40
    assert readability([("Dense", [DENSE])]).warnings == []


def test_the_change_page_and_the_review_screen_show_the_grades(
    client, condition, physician_user, editor
):
    """Editors see it while editing; physicians while reviewing."""
    edit(condition, editor, clinical_definition=DENSE, ketamine_fit=PLAIN)
    client.force_login(editor)
    change = visible_text(
        client.get(
            reverse("admin:conditions_condition_change", args=[condition.pk])
        ).content.decode()
    )
    assert "Reading level" in change
    assert re.search(r"Clinical definition \d+ [\d.]+ Above grade 8", change)
    assert re.search(r"Where ketamine fits \d+ [\d.]+ Within the target", change)
    client.force_login(physician_user)
    review = visible_text(
        client.get(
            reverse("admin:conditions_condition_review", args=[condition.pk])
        ).content.decode()
    )
    assert re.search(r"Clinical definition \d+ [\d.]+ Above grade 8", review)


def test_hard_text_never_stops_the_workflow(condition, editor, physician_user, publisher):
    """A page far above the target is submitted, signed off and published all the same."""
    edit(condition, editor, clinical_definition=DENSE)
    workflow.submit_for_review(condition, editor)
    workflow.sign_off(condition, physician_user, PASSWORD)
    assert workflow.publish(condition, publisher).pk


def test_the_api_gives_the_pages_reading_grade(api, published, editor, physician_user, publisher):
    """reading_grade: the Flesch-Kincaid grade of the page's running text."""
    edit(published, editor, clinical_definition=DENSE)
    workflow.sign_off(published, physician_user, PASSWORD)
    workflow.publish(published, publisher)
    body = api.get(f"/api/v1/conditions/{published.slug}/").json()
    assert body["reading_grade"] > 8


SPANISH_PLAIN = (
    "El TOC es un problema común. Las personas con TOC tienen pensamientos que no quieren. "
    "También hacen cosas una y otra vez para sentirse mejor. La terapia ayuda a la mayoría. "
    "Algunas personas toman una pastilla cada día. Pregunte a su médico qué es lo mejor para usted."
)
SPANISH_DENSE = (
    "Las estrategias farmacológicas de potenciación que incorporan medicamentos antipsicóticos "
    "demuestran una efectividad heterogénea en investigaciones aleatorizadas, lo que requiere la "
    "consideración individualizada de la tolerabilidad cardiometabólica, las consecuencias "
    "neurológicas adversas y los requisitos de monitorización longitudinal dentro de marcos "
    "especializados de atención psiquiátrica."
)


def test_spanish_text_is_scored_on_the_inflesz_scale():
    """Szigriszt-Pazos reading ease: plain Spanish scores high (easy), dense Spanish low; the
    English grade would not tell them apart the same way."""
    assert grade(SPANISH_PLAIN, "es") > 80 > 40 > grade(SPANISH_DENSE, "es")
    result = readability([("Fácil", [SPANISH_PLAIN]), ("Densa", [SPANISH_DENSE])], "es")
    assert [section.section for section in result.warnings] == ["Densa"]
    assert result.sections[0].described.endswith(": muy fácil")
    assert re.fullmatch(r"reading ease -?[\d.]+: muy difícil", result.sections[1].described)


def test_the_spanish_threshold_is_a_setting(settings):
    """Below READABILITY_SPANISH_MIN_EASE a section is flagged; the English target is not used."""
    settings.READABILITY_TARGET_GRADE = 0
    assert readability([("Fácil", [SPANISH_PLAIN])], "es").warnings == []
    settings.READABILITY_SPANISH_MIN_EASE = 100
    assert len(readability([("Fácil", [SPANISH_PLAIN])], "es").warnings) == 1


def test_the_inflesz_bands_are_named():
    from tovani.readability import inflesz_band

    assert [inflesz_band(s) for s in (30, 40, 54.9, 55, 62, 65, 80)] == [
        "muy difícil",
        "algo difícil",
        "algo difícil",
        "normal",
        "normal",
        "bastante fácil",
        "muy fácil",
    ]


def test_english_text_keeps_its_grade_after_spanish_is_scored():
    """The Spanish syllable counter is kept apart: scoring Spanish changes no English grade."""
    before = grade(PLAIN)
    grade(SPANISH_PLAIN, "es")
    assert grade(PLAIN) == before


def test_a_spanish_page_is_scored_in_spanish_on_its_screens(
    client, editor, physician_user, publisher
):
    """The translation's change page and review screen use the Spanish scale and wording; the
    page's kind says its language (the Publishable protocol's reading_language)."""
    from tests.translating import (
        english_page,
        spanish_physician,
        translated_page,
        translator_user,
    )
    from translations import editing

    english = english_page(editor, physician_user, publisher)
    assert english.reading_language() == "en"
    translator = translator_user()
    translation = translated_page(english, translator)
    assert translation.reading_language() == "es"
    definition = translation.segments.get(key="clinical_definition")
    editing.write_segment(definition, SPANISH_DENSE, translator)
    client.force_login(translator)
    change = visible_text(
        client.get(f"/admin/translations/translation/{translation.pk}/change/").content.decode()
    )
    assert "Reading level (Spanish)" in change
    assert re.search(
        r"Clinical definition \d+ reading ease -?[\d.]+: muy difícil Below reading ease 55", change
    )
    assert "Flesch" not in change
    workflow.submit_for_review(translation, translator)
    client.force_login(spanish_physician())
    review = visible_text(
        client.get(f"/admin/translations/translation/{translation.pk}/review/").content.decode()
    )
    assert re.search(r"Clinical definition \d+ reading ease -?[\d.]+: muy difícil", review)
