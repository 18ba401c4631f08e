"""Clinical codes: each code system accepts its own syntax and says why a code is wrong."""

import pytest
from django.core.exceptions import ValidationError

from conditions.codes import CodeSystem, validate_code
from conditions.models import ClinicalCode
from tests.conftest import make_condition

ICD11, ICD10CM, DSM5 = CodeSystem.ICD11, CodeSystem.ICD10CM, CodeSystem.DSM5


@pytest.fixture
def page(db):
    return make_condition()


def clean_code(condition, system, code):
    """Run the model validation an editor's code goes through; return the cleaned code."""
    clinical_code = ClinicalCode(condition=condition, system=system, code=code)
    clinical_code.full_clean()
    return clinical_code


@pytest.mark.parametrize(
    ("system", "code"),
    [
        (ICD11, "6B20"),
        (ICD11, "6B20.0"),
        (ICD11, "6A70.1"),
        (ICD11, "6B20&XS25"),
        (ICD11, "1A00"),
        (ICD11, "BA00"),
        (DSM5, "300.3"),
        (DSM5, "F42.2"),
        (ICD10CM, "F42.2"),
        (ICD10CM, "F42"),
    ],
)
def test_a_valid_code_passes_full_clean(page, system, code):
    """A code written in its system's syntax is accepted unchanged."""
    assert clean_code(page, system, code).code == code


@pytest.mark.parametrize(
    ("system", "code", "example"),
    [
        (ICD11, "6I20", "6B20"),
        (ICD11, "F42.2", "6B20"),
        (ICD11, "6B2", "6B20"),
        (ICD11, "", "6B20"),
        (DSM5, "6B20", "300.3"),
        (DSM5, "abc", "F42.2"),
        (ICD10CM, "300.3", "F42.2"),
        (ICD10CM, "6B20", "F42.2"),
    ],
)
def test_validate_code_rejects_a_code_outside_its_system(system, code, example):
    """An invalid code raises an error on the code field naming the code and a valid example."""
    with pytest.raises(ValidationError) as exc:
        validate_code(system, code)
    [message] = exc.value.message_dict["code"]
    assert f"“{code}”" in message
    assert example in message


@pytest.mark.parametrize(
    ("system", "code", "example"),
    [
        (ICD11, "6I20", "6B20"),
        (DSM5, "6B20", "300.3"),
        (ICD10CM, "300.3", "F42.2"),
    ],
)
def test_full_clean_attaches_the_code_error_to_the_code_field(page, system, code, example):
    """ClinicalCode.full_clean() reports a bad code on `code`, naming it and a valid example."""
    with pytest.raises(ValidationError) as exc:
        clean_code(page, system, code)
    assert set(exc.value.message_dict) == {"code"}
    [message] = exc.value.message_dict["code"]
    assert f"“{code}”" in message
    assert example in message


def test_an_empty_code_is_rejected_on_the_code_field(page):
    """A clinical code without a code fails full_clean() on the code field."""
    with pytest.raises(ValidationError) as exc:
        clean_code(page, ICD11, "")
    assert exc.value.message_dict["code"]


@pytest.mark.parametrize(
    ("system", "typed", "stored"),
    [(ICD10CM, "f42.2", "F42.2"), (ICD11, " 6b20.0 ", "6B20.0"), (DSM5, "f42.2", "F42.2")],
)
def test_clean_normalizes_a_lowercase_code_to_upper_case(page, system, typed, stored):
    """A code typed in lower case (or with spaces) is stored in upper case."""
    assert clean_code(page, system, typed).code == stored


def test_the_display_shows_system_code_and_qualifier(page):
    """A code displays as its system, code and bracketed qualifier."""
    code = ClinicalCode(condition=page, system=ICD11, code="6B20", qualifier="refractory")
    assert code.display == "ICD-11 6B20 (refractory)"
