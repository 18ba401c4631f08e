"""Citations, codes, numbers, doses and units are carried over exactly: a save that drops one
or changes one is refused, naming the segment."""

import pytest
from django.core.exceptions import ValidationError

from tests.translating import english_page, translator_user
from translations import editing, protected


@pytest.fixture
def translation(editor, physician_user, publisher):
    return editing.start_translation(
        english_page(editor, physician_user, publisher), "es", translator_user()
    )


def segment(translation, prefix):
    return translation.segments.get(key__startswith=prefix)


def test_a_segment_that_drops_a_citation_is_refused_naming_it(translation):
    """Without [@murrough2013] the key point is not saved."""
    point = segment(translation, "key_point:")
    with pytest.raises(
        ValidationError, match=r"“Key point 1” drops the citation \[@murrough2013\]"
    ):
        editing.write_segment(
            point, "La dosis habitual es 0,5 mg/kg durante 40 minutos.", translation.translator
        )
    point.refresh_from_db()
    assert point.text == ""


def test_a_changed_dose_is_refused(translation):
    """0.5 mg/kg becoming 5 mg/kg is a different dose."""
    point = segment(translation, "key_point:")
    with pytest.raises(ValidationError, match="“Key point 1” changes a number or unit"):
        editing.write_segment(
            point,
            "La dosis habitual es 5 mg/kg durante 40 minutos [@murrough2013].",
            translation.translator,
        )


def test_a_changed_duration_or_percentage_is_refused(translation):
    """24 hours may become 24 horas, never 12 horas; 40% stays 40%."""
    answer = translation.segments.get(label="Answer 1")
    for wrong in ["Unas 12 horas en el 40% de los pacientes.", "Unas 24 horas en el 4%."]:
        with pytest.raises(ValidationError, match="“Answer 1” changes a number or unit"):
            editing.write_segment(answer, wrong, translation.translator)
    editing.write_segment(
        answer, "Unas 24 horas en el 40 % de los pacientes.", translation.translator
    )


def test_the_same_quantities_in_spanish_spelling_are_accepted():
    """A decimal comma and translated unit names keep the same facts."""
    english = "Give 0.5 mg/kg over 40 minutes, for 2 to 3 weeks [@a2020]; 24 hours; 40%."
    spanish = "Se dan 0,5 mg/kg durante 40 minutos, de 2 a 3 semanas [@a2020]; 24 horas; 40%."
    assert protected.problems("Text", english, spanish) == []


def test_twenty_milligrams_turned_into_twenty_five_is_named():
    """The refusal names both quantities."""
    (problem,) = protected.problems("Answer 2", "Take 20 mg.", "Tome 25 mg.")
    assert problem == (
        "“Answer 2” changes a number or unit: the English has “20 mg”, the translation has “25 mg”."
    )


def test_a_dropped_code_or_pmid_is_refused():
    """An ICD-10 code and a PMID are carried over."""
    english = "Coded F42.2; see PMID 24091537."
    assert protected.problems("Summary", english, "Codificado; ver PMID.")
    assert protected.problems("Summary", english, "Codificado F42.2; ver PMID 24091537.") == []
