"""Clinical codes: each code system accepts its own syntax and says why a code is wrong."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from conditions.codes import CodeSystem, validate_code, verhoeff_valid
from conditions.models import ClinicalCode, Condition
from reviews.digest import source_digest
from tests.conftest import make_condition

ICD11, ICD10CM, DSM5 = CodeSystem.ICD11, CodeSystem.ICD10CM, CodeSystem.DSM5
SNOMEDCT = CodeSystem.SNOMEDCT


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
        (SNOMEDCT, "191736004"),
        (SNOMEDCT, "1376001"),
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
        (SNOMEDCT, "F42.2", "191736004"),
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


# SNOMED CT


def test_the_verhoeff_check_digit_of_real_concept_ids():
    """191736004 (obsessive-compulsive disorder) and 1376001 end in their check digits."""
    assert verhoeff_valid("191736004")
    assert verhoeff_valid("1376001")
    assert not verhoeff_valid("191736005")
    assert not verhoeff_valid("191763004")  # two digits swapped


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("191736005", "check digit"),
        ("191763004", "check digit"),
        ("191736015", "partition identifier is 01"),
        ("12345", "6 to 18 digits"),
        ("0191736004", "the first not 0"),
        ("1234567890123456789", "6 to 18 digits"),
    ],
)
def test_a_snomed_ct_code_that_is_no_concept_id_is_refused_saying_why(page, code, reason):
    """A wrong check digit (a typo), a description's partition, a wrong length or a leading zero
    each fails on the code field, with the reason and a valid example."""
    with pytest.raises(ValidationError) as exc:
        clean_code(page, SNOMEDCT, code)
    assert set(exc.value.message_dict) == {"code"}
    [message] = exc.value.message_dict["code"]
    assert f"“{code}” is not a SNOMED CT concept id" in message
    assert reason in message
    assert "191736004" in message


# Codes for lookup only: signed with the page, without changing what was signed before

# The source digest of the page below, computed by the release before codes could be for lookup
# only (on the schema before conditions.0008): existing sign-offs approve exactly this digest.
DIGEST_BEFORE_LOOKUP_CODES = "0b07005cc84ed068df2381eb34795f090ad27fac0938130d575a422787bf577f"
PAGE = {
    "slug": "digest-pinned",
    "title": "Pinned Page",
    "summary": "A page whose digest is pinned.",
    "regulatory_notice": "The page's own notice.",
}
PAGE_CODES = [("DSM-5", "300.3", ""), ("ICD-11", "6B20", "refractory")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def add_codes(code_model, condition_id, codes):
    for order, (system, code, qualifier) in enumerate(codes, start=1):
        code_model.objects.create(
            condition_id=condition_id,
            system=system,
            code=code,
            qualifier=qualifier,
            sort_order=order,
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_page_keeps_its_source_digest_across_the_migration_adding_lookup_only_codes():
    """A page saved before the migration has, after it, the digest the earlier release gave it:
    its sign-off still approves it."""
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate([("conditions", "0007_treatment_listing_descriptions")])
    try:
        page = old.get_model("conditions", "Condition").objects.create(**PAGE)
        add_codes(old.get_model("conditions", "ClinicalCode"), page.pk, PAGE_CODES)
    finally:
        migrate(latest)
    assert source_digest(Condition.objects.get(pk=page.pk)) == DIGEST_BEFORE_LOOKUP_CODES


def test_a_lookup_only_code_joins_the_signed_source_only_when_set(db):
    """Without lookup-only codes the digest is the earlier release's; adding one, or marking a
    code for lookup only, is a change the physician must sign."""
    page = Condition.objects.create(**PAGE)
    add_codes(ClinicalCode, page.pk, PAGE_CODES)
    assert source_digest(page) == DIGEST_BEFORE_LOOKUP_CODES
    ClinicalCode.objects.create(condition=page, system=ICD10CM, code="F42.2", sort_order=3)
    shown = source_digest(page)
    ClinicalCode.objects.filter(code="F42.2").update(lookup_only=True)
    assert len({DIGEST_BEFORE_LOOKUP_CODES, shown, source_digest(page)}) == 3
