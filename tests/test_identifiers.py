"""Bibliographic identifiers: PMID and DOI syntax, DOI clean-up and uniqueness in the library."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conditions.models import Condition
from references.models import Reference
from references.validators import normalize_doi, validate_doi, validate_pmid
from tests.conftest import make_condition, make_reference

DOI = "10.1038/npp.2013.150"


def new_reference(citekey="newkey2020", **fields):
    """An unsaved reference with every required field filled in."""
    defaults = {"authors": "Bloch MH", "title": "A title", "journal": "J Psych", "year": 2020}
    return Reference(citekey=citekey, **{**defaults, **fields})


def test_a_pmid_of_digits_is_valid():
    """A PubMed ID made of digits passes validation."""
    validate_pmid("23783065")


@pytest.mark.parametrize("value", ["PMID123", "0123", "1234567890", ""])
def test_a_malformed_pmid_is_rejected(value):
    """A PMID with letters, a leading zero, ten digits or nothing at all is rejected."""
    with pytest.raises(ValidationError, match="digits only, for example 23783065"):
        validate_pmid(value)


def test_a_doi_in_crossref_syntax_is_valid():
    """A DOI of 10., a registrant number, a slash and a suffix passes validation."""
    validate_doi(DOI)


@pytest.mark.parametrize("value", ["npp.2013.150", "10.10/x", "10.1038/", ""])
def test_a_malformed_doi_is_rejected(value):
    """A DOI without the 10. prefix, with a short registrant or without a suffix is rejected."""
    with pytest.raises(ValidationError, match="Enter a DOI such as 10.1038/npp.2013.150"):
        validate_doi(value)


@pytest.mark.parametrize(
    "pasted",
    [
        f"https://doi.org/{DOI}",
        f"http://doi.org/{DOI}",
        f"https://dx.doi.org/{DOI}",
        f"doi:{DOI}",
        f"DOI:{DOI}",
        f"  {DOI} ",
    ],
)
def test_normalize_doi_strips_resolver_prefixes(pasted):
    """normalize_doi() removes the resolver URL or doi: prefix and surrounding spaces."""
    assert normalize_doi(pasted) == DOI


@pytest.mark.django_db
def test_full_clean_normalizes_a_pasted_doi_url():
    """Reference.full_clean() accepts a pasted https://doi.org/ URL and keeps the bare DOI."""
    reference = new_reference(doi=f"https://doi.org/{DOI}")
    reference.full_clean()
    assert reference.doi == DOI


@pytest.mark.django_db
def test_full_clean_rejects_a_duplicate_citekey_on_the_citekey_field():
    """A second reference with an existing citekey fails full_clean() on `citekey`."""
    make_reference("rodriguez2013")
    with pytest.raises(ValidationError) as exc:
        new_reference("rodriguez2013").full_clean()
    assert exc.value.message_dict["citekey"] == ["Reference with this Citekey already exists."]


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("pmid", "23783065"), ("doi", DOI)])
def test_full_clean_rejects_a_duplicate_identifier(field, value):
    """A second reference with an existing PMID or DOI fails full_clean()."""
    make_reference("rodriguez2013", **{field: value})
    with pytest.raises(ValidationError):
        new_reference(**{field: value}).full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("pmid", "23783065"), ("doi", DOI)])
def test_a_duplicate_identifier_error_is_attached_to_its_field(field, value):
    """A duplicate PMID or DOI is reported on that field, not as a page-level error."""
    make_reference("rodriguez2013", **{field: value})
    with pytest.raises(ValidationError) as exc:
        new_reference(**{field: value}).full_clean()
    assert set(exc.value.message_dict) == {field}


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value"), [("pmid", "23783065"), ("doi", DOI)])
def test_the_database_refuses_a_duplicate_identifier(field, value):
    """Saving a duplicate PMID or DOI without validation still fails in the database."""
    make_reference("rodriguez2013", **{field: value})
    with pytest.raises(IntegrityError), transaction.atomic():
        new_reference(**{field: value}).save()


@pytest.mark.django_db
def test_two_references_without_pmid_or_doi_are_allowed():
    """Empty PMIDs and DOIs do not collide: both references validate and save."""
    make_reference("first2020", pmid="", doi="")
    second = new_reference("second2021", pmid="", doi="")
    second.full_clean()
    second.save()
    assert Reference.objects.filter(pmid="", doi="").count() == 2


@pytest.mark.django_db
def test_full_clean_rejects_a_duplicate_condition_slug_on_the_slug_field():
    """A second condition with an existing slug fails full_clean() on `slug`."""
    make_condition(slug="treatment-resistant-ocd")
    duplicate = Condition(slug="treatment-resistant-ocd", title="Other", summary="Other page.")
    with pytest.raises(ValidationError) as exc:
        duplicate.full_clean()
    assert exc.value.message_dict["slug"] == ["Condition with this Slug already exists."]


@pytest.mark.parametrize(
    ("field", "pasted", "stored"),
    [
        ("pmid", "PMID: 23982301", "23982301"),
        ("pmid", "https://pubmed.ncbi.nlm.nih.gov/23982301/", "23982301"),
        ("pmcid", "PMCID: PMC3992936", "PMC3992936"),
        ("pmcid", "https://pmc.ncbi.nlm.nih.gov/articles/PMC3992936/", "PMC3992936"),
        ("doi", "doi: 10.1038/npp.2013.150.", DOI),
        ("doi", "https://doi.org/10.1038%2Fnpp.2013.150", DOI),
        ("doi", "10.1038/\u200bnpp.2013.150\u202c", DOI),
    ],
)
@pytest.mark.django_db
def test_full_clean_accepts_identifiers_as_pasted_and_stores_them_bare(field, pasted, stored):
    """Labels, resolver addresses, a final period and invisible characters are tidied away."""
    reference = new_reference(**{field: pasted})
    reference.full_clean()
    assert getattr(reference, field) == stored


@pytest.mark.django_db
def test_full_clean_strips_direction_controls_from_a_typed_title():
    """A right-to-left override pasted into a title cannot reorder what readers see."""
    reference = new_reference(title="Ketamine\u202e in OCD\u200f")
    reference.full_clean()
    assert reference.title == "Ketamine in OCD"
