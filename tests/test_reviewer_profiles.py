"""Reviewer profiles at /reviewers/<slug>/: who signs the pages.

Name and credentials, specialty, license (state and number) and NPI (checked by its Luhn check
digit with the 80840 prefix), a short biography, disclosures, and every live page the physician
reviewed with its date. Only facts that are filled in are shown; the demo profile invents
nothing. A physician may edit their own profile, not the stamp fields nor anyone else's.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reviews.models import Physician
from reviews.validators import npi_check_digit, validate_npi
from tests.conftest import make_user
from tests.pagetext import visible_text


@pytest.mark.parametrize("npi", ["1234567893", "1245319599", "1003000126"])
def test_a_valid_npi_passes_its_check_digit(npi):
    """CMS's example and real-format NPIs pass."""
    validate_npi(npi)


@pytest.mark.parametrize(
    ("npi", "message"),
    [
        ("1234567890", "does not match its check digit"),
        ("123456789", "An NPI is 10 digits"),
        ("12345678a3", "An NPI is 10 digits"),
        ("１２３４５６７８９３", "An NPI is 10 digits"),
    ],
)
def test_a_wrong_npi_is_refused_naming_the_problem(npi, message):
    """A mistyped digit or a wrong length is caught."""
    with pytest.raises(ValidationError, match=message):
        validate_npi(npi)


def test_the_check_digit_includes_the_80840_prefix():
    """Without the prefix, CMS's example would get a different digit."""
    assert npi_check_digit("123456789") == 3


def test_the_npi_is_checked_when_the_profile_is_saved(physician):
    """full_clean names the npi field."""
    physician.npi = "1234567890"
    with pytest.raises(ValidationError) as error:
        physician.full_clean()
    assert "npi" in error.value.message_dict


def test_license_state_and_number_go_together(physician):
    """A number without its state is refused at the state field."""
    physician.license_number = "12345"
    with pytest.raises(ValidationError) as error:
        physician.full_clean()
    assert error.value.message_dict["license_state"] == [
        "Give the license's state and number together, or neither."
    ]


def test_each_physician_gets_a_free_slug(db):
    """Two physicians of the same name get distinct addresses."""
    first = Physician.objects.create(
        user=make_user("a1"), display_name="Ana Ortiz", credentials="MD"
    )
    second = Physician.objects.create(
        user=make_user("a2"), display_name="Ana Ortiz", credentials="DO"
    )
    assert (first.slug, second.slug) == ("ana-ortiz", "ana-ortiz-2")


def test_the_demo_profile_shows_only_what_is_known_and_lists_the_page(client, demo):
    """Name, credentials and the reviewed page with its date; no invented license or NPI."""
    html = client.get("/reviewers/ben-soffer/").content.decode()
    text = visible_text(html)
    assert "Dr. Ben Soffer, DO" in text
    assert "Treatment-Resistant OCD Reviewed June 2, 2026" in text
    for absent in ["License", "NPI", "Biography", "Disclosures"]:
        assert absent not in text.replace("Disclosures ·", "")
    assert 'href="/conditions/treatment-resistant-ocd/"' in html


def test_a_filled_profile_shows_every_fact_and_its_json_ld(client, published, physician):
    """Specialty, license, NPI, biography and disclosures appear; JSON-LD names the Person."""
    physician.specialty = "Psychiatry"
    physician.license_state, physician.license_number = "CA", "A123456"
    physician.npi = "1234567893"
    physician.biography = "Board-certified psychiatrist."
    physician.disclosures = "Speaker fees from <Acme>."
    physician.full_clean()
    physician.save()
    html = client.get(physician.get_absolute_url()).content.decode()
    text = visible_text(html)
    for fact in [
        "Psychiatry",
        "License: CA A123456",
        "NPI: 1234567893",
        "Board-certified psychiatrist.",
        "Speaker fees from <Acme>.",
        "Test Condition",
    ]:
        assert fact in text
    assert "&lt;Acme&gt;" in html
    assert '"@type": "ProfilePage"' in html
    assert '"propertyID": "NPI"' in html


def test_a_page_no_longer_live_leaves_the_profile(client, published, physician, publisher):
    """Unpublished pages are not listed."""
    from reviews import workflow

    workflow.unpublish(published, publisher, "Withdrawn for rework.")
    text = visible_text(client.get(physician.get_absolute_url()).content.decode())
    assert "Test Condition" not in text
    assert "No page reviewed by Dr. Gregory House, MD is published at the moment." in text


def test_an_unknown_reviewer_is_a_404(client, db):
    assert client.get("/reviewers/nobody/").status_code == 404


def test_a_physician_edits_their_own_profile_but_not_the_stamp(client, physician):
    """Biography saved; name, credentials and active flag are read-only to them."""
    client.force_login(physician.user)
    url = reverse("admin:reviews_physician_change", args=[physician.pk])
    response = client.post(
        url,
        {
            "display_name": "Someone Else",
            "credentials": "MD, PhD",
            "specialty": "Psychiatry",
            "license_state": "",
            "license_number": "",
            "npi": "",
            "biography": "Psychiatrist.",
            "disclosures": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    physician.refresh_from_db()
    assert (physician.display_name, physician.credentials) == ("Gregory House", "MD")
    assert (physician.specialty, physician.biography) == ("Psychiatry", "Psychiatrist.")


def test_a_physician_cannot_edit_another_physicians_profile(client, physician, db):
    """Someone else's profile is read-only to them."""
    other = Physician.objects.create(
        user=make_user("other", "Physicians"), display_name="Ann Other", credentials="MD"
    )
    client.force_login(physician.user)
    url = reverse("admin:reviews_physician_change", args=[other.pk])
    client.post(url, {"biography": "Changed by someone else."})
    other.refresh_from_db()
    assert other.biography == ""


def test_a_bad_npi_in_the_admin_is_named_and_nothing_is_saved(client, physician):
    """The form shows the NPI error; the profile keeps what it had."""
    client.force_login(physician.user)
    url = reverse("admin:reviews_physician_change", args=[physician.pk])
    data = {
        "specialty": "Psychiatry",
        "npi": "1234567890",
        "license_state": "",
        "license_number": "",
    }
    response = client.post(url, {**data, "biography": "", "disclosures": ""})
    assert response.status_code == 200
    assert "does not match its check digit" in response.content.decode()
    physician.refresh_from_db()
    assert physician.specialty == ""
