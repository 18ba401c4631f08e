"""A reviewer profile keeps its old addresses after a rename: they answer 301 to the new one.

Every page published before the rename links its “Medically reviewed by” stamp to the old
address, in HTML stored at publish; those links lead to the profile, never to a 404 or to
somebody else.
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reviews.models import FormerProfileAddress, Physician
from tests.admin_http import AdminBrowser
from tests.conftest import make_user


@pytest.fixture
def administrator(db):
    return make_user("root", is_superuser=True)


def rename(administrator, physician, slug):
    browser = AdminBrowser(administrator)
    path = reverse("admin:reviews_physician_change", args=[physician.pk])
    response = browser.save_changed(path, slug=slug)
    assert response.status_code == 302, response.content.decode()[:3000]
    physician.refresh_from_db()


def reviewer_link(client, page) -> str:
    html = client.get(page.get_absolute_url()).content.decode()
    return re.search(r'href="(/reviewers/[^"]+)"', html).group(1)


def test_a_published_pages_reviewer_link_leads_to_the_renamed_profile(
    client, published, physician, administrator
):
    """The stamp's link, stored before the rename, answers 301 to the new address, then 200."""
    assert reviewer_link(client, published) == "/reviewers/gregory-house/"

    rename(administrator, physician, "gregory-house-md")

    link = reviewer_link(client, published)
    response = client.get(link)
    assert response.status_code == 301
    assert response["Location"] == "/reviewers/gregory-house-md/"
    assert "Gregory House" in client.get(response["Location"]).content.decode()


def test_every_earlier_address_leads_straight_to_the_current_one(
    db, physician, administrator, client
):
    """Renamed twice, both old addresses answer 301 to the newest, in one hop."""
    rename(administrator, physician, "g-house")
    rename(administrator, physician, "gregory-house-md")

    for old in ("gregory-house", "g-house"):
        response = client.get(f"/reviewers/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/reviewers/gregory-house-md/")


def test_an_address_taken_back_is_the_profile_again(db, physician, administrator, client):
    """Renamed and renamed back: the first address answers 200 again, the second 301 to it."""
    rename(administrator, physician, "g-house")
    rename(administrator, physician, "gregory-house")

    assert client.get("/reviewers/gregory-house/").status_code == 200
    assert client.get("/reviewers/g-house/")["Location"] == "/reviewers/gregory-house/"


def test_another_physician_cannot_take_a_former_address(db, physician, administrator):
    """The old links belong to the first physician: a new profile there is refused or moved on."""
    rename(administrator, physician, "gregory-house-md")
    other = Physician(user=make_user("greg"), display_name="Gregory House", credentials="DO")
    other.slug = "gregory-house"
    with pytest.raises(ValidationError, match="another physician's profile address"):
        other.full_clean()
    other.slug = ""
    other.save()
    assert other.slug == "gregory-house-2"


def test_an_address_nobody_ever_had_is_still_a_404(db, physician, client):
    """Only real former addresses redirect."""
    assert not FormerProfileAddress.objects.exists()
    assert client.get("/reviewers/nobody/").status_code == 404
