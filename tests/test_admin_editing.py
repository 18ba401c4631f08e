"""Editing condition pages and references through the Django admin."""

import re

import pytest
from reversion.models import Version

from conditions.models import Condition
from tests.conftest import PASSWORD, make_reference

ADD_URL = "/admin/conditions/condition/add/"
REFERENCE_CHANGELIST_URL = "/admin/references/reference/"
INLINE_PREFIXES = [
    "codes",
    "search_phrases",
    "key_points",
    "comparisons",
    "condition_treatments",
    "faqs",
]
INLINE_HEADINGS = [
    "Clinical codes",
    "Search phrases",
    "Key points",
    "Comparisons with related conditions",
    "Treatments for this condition",
    "Frequently asked questions",
]


@pytest.fixture(params=["superuser", "editor"])
def staff(request, db):
    """A logged-in test client and its user: a superuser, then a member of Editors."""
    if request.param == "superuser":
        return request.getfixturevalue("admin_client"), request.getfixturevalue("admin_user")
    client, user = request.getfixturevalue("client"), request.getfixturevalue("editor")
    assert client.login(username=user.username, password=PASSWORD)
    return client, user


def condition_form(key_points=(), **fields):
    """POST data for the condition add view: the page's fields and every inline's forms."""
    data = {
        "title": "Treatment-resistant OCD",
        "slug": "treatment-resistant-ocd",
        "page_label": "Clinical condition",
        "summary": "OCD that has not responded to adequate trials.",
        "clinic_indication_status": "case_by_case",
        "_save": "Save",
        **fields,
    }
    for prefix in INLINE_PREFIXES:
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        data[f"{prefix}-MIN_NUM_FORMS"] = "0"
        data[f"{prefix}-MAX_NUM_FORMS"] = "1000"
    data["key_points-TOTAL_FORMS"] = str(len(key_points))
    for index, text in enumerate(key_points):
        data[f"key_points-{index}-sort_order"] = str(index + 1)
        data[f"key_points-{index}-text"] = text
    return data


def test_the_condition_add_page_shows_every_inline(staff):
    """The add page renders with a formset for each part of a condition page."""
    client, _ = staff
    response = client.get(ADD_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r'name="(\w+)-TOTAL_FORMS"', html) == INLINE_PREFIXES
    headings = re.findall(r'<h2 id="\w+-heading" class="inline-heading">\s*(.*?)\s*</h2>', html)
    assert headings == INLINE_HEADINGS


def test_an_unknown_citekey_in_a_key_point_blocks_the_save(staff):
    """The form comes back with the error beside the key point, and nothing is saved."""
    client, _ = staff
    response = client.post(ADD_URL, condition_form(key_points=["Claim [@nosuchkey]."]))
    assert response.status_code == 200
    message = "No reference in the library has the citekey @nosuchkey."
    key_points = next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "key_points"
    )
    assert message in key_points.errors[0]["text"][0]
    html = response.content.decode()
    key_point_html = html[html.index('id="key_points-0"') : html.index('id="key_points-empty"')]
    assert message in key_point_html
    assert not Condition.objects.exists()


def test_a_valid_condition_is_saved_with_its_cited_reference_and_a_revision(staff):
    """Saving attaches the cited reference and records a revision by the editing user."""
    client, user = staff
    reference = make_reference("rodriguez2013", pmid="23783065")
    response = client.post(ADD_URL, condition_form(key_points=["Ketamine [@rodriguez2013]."]))
    assert response.status_code == 302
    condition = Condition.objects.get(slug="treatment-resistant-ocd")
    assert [point.text for point in condition.key_points.all()] == ["Ketamine [@rodriguez2013]."]
    assert list(condition.references.all()) == [reference]
    [version] = Version.objects.get_for_object(condition)
    assert version.revision.user == user
    [key_point_version] = Version.objects.get_for_object(condition.key_points.get())
    assert key_point_version.revision == version.revision


@pytest.mark.parametrize("query", ["23783065", "10.1038/npp.2013.150"])
def test_the_reference_changelist_finds_a_reference_by_identifier(admin_client, query):
    """Searching the reference list by PMID or DOI finds that reference only."""
    make_reference("rodriguez2013", pmid="23783065", doi="10.1038/npp.2013.150")
    make_reference("bloch2012", pmid="22230990", doi="10.1016/j.biopsych.2012.01.010")
    response = admin_client.get(REFERENCE_CHANGELIST_URL, {"q": query})
    assert response.status_code == 200
    found = [reference.citekey for reference in response.context["cl"].result_list]
    assert found == ["rodriguez2013"]
