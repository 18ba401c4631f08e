"""load_demo: the real OCD page, published through the real workflow, idempotently."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.utils import timezone

from conditions import demo_content
from conditions.models import Condition
from references.models import Reference
from reviews.models import Physician, Publication, SignOff


def test_load_demo_publishes_the_ocd_page_signed_on_its_review_date(demo):
    """The page is live under a sign-off by Dr. Ben Soffer, DO dated June 2, 2026."""
    publication = Publication.objects.live().get(slug="treatment-resistant-ocd")
    signed_at = timezone.localtime(publication.sign_off.signed_at)
    assert publication.sign_off.signature == "Dr. Ben Soffer, DO"
    assert (signed_at.year, signed_at.month, signed_at.day) == (2026, 6, 2)
    assert publication.published_by.username == "publisher"


def test_load_demo_brings_the_three_cited_references_and_the_bottemanne_paper(demo):
    """The page cites three references by PMID; the library also holds the 2021 paper."""
    document = Publication.objects.live_of(Condition).get().document
    assert [ref["pmid"] for ref in document["references"]] == ["23783065", "28121735", "28384832"]
    assert Reference.objects.filter(citekey="bottemanne2021", year=2021).exists()
    assert Condition.objects.get().references.count() == 3


def test_load_demo_twice_changes_nothing(demo, settings):
    """A second run finds the sign-offs and live publications in place and adds none: one for
    the page, one each for the editorial policy, the disclosures and the syndication terms, one
    for the Spanish page (signed by the physician who reviews in Spanish)."""
    settings.DEBUG = True
    output = io.StringIO()
    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=output)
    assert "sign-off already on record, already live" in output.getvalue()
    assert SignOff.objects.count() == 5
    assert Publication.objects.count() == 5
    assert Condition.objects.count() == 1
    assert Physician.objects.count() == 2


def test_a_demo_page_whose_seed_changed_is_signed_again_saying_so(demo, settings):
    """Loading a newer demo over a page published from an older seed re-signs the page with a
    summary of why, not a second "First published."."""
    settings.DEBUG = True
    condition = Condition.objects.get()
    condition.codes.filter(lookup_only=True).delete()  # as the previous release's seed had it
    publisher = get_user_model().objects.get(username="publisher")
    physician = get_user_model().objects.get(username="ben.soffer")
    signed_at = SignOff.objects.get(
        object_id=condition.pk, content_type__model="condition"
    ).signed_at
    demo_content._sign(condition, physician, signed_at, demo_content.FIRST_PUBLICATION)
    demo_content._publish(condition, publisher)

    call_command("load_demo", stdout=io.StringIO())
    sign_offs = SignOff.objects.filter(
        content_type=ContentType.objects.get_for_model(Condition), object_id=condition.pk
    ).order_by("pk")
    assert [s.change_summary for s in sign_offs] == [
        "First published.",
        "First published.",
        "Updated to this release's demo content.",
    ]
    assert Publication.objects.live().get(slug=condition.slug).sign_off == sign_offs.last()


@pytest.mark.django_db
def test_demo_logins_work_only_while_debug_is_on(client, settings):
    """Outside DEBUG the demo accounts exist but cannot log in."""
    from conditions.demo_content import load_demo

    settings.DEBUG = False
    result = load_demo()
    assert result.logins == {}
    assert not client.login(username="editor", password="tovani-editor")
    assert not client.login(username="ben.soffer", password="tovani-physician")
    assert Publication.objects.live_of(Condition).count() == 1


def test_demo_logins_are_printed_and_usable_with_debug_on(client, demo):
    """With DEBUG on, each printed demo login signs in to the admin."""
    assert set(demo.logins) == {"editor", "ben.soffer", "publisher", "admin"}
    for username, password in demo.logins.items():
        assert client.login(username=username, password=password)


def test_the_demo_administrator_can_open_the_partners_admin_and_issue_a_key(client, demo):
    """The printed administrator login is a superuser: the Partners admin, where keys are made."""
    assert client.login(username="admin", password=demo.logins["admin"])
    assert client.get("/admin/partners/partner/").status_code == 200
    assert client.get("/admin/partners/partner/add/").status_code == 200


@pytest.mark.django_db
def test_without_debug_no_administrator_is_created_and_an_old_one_cannot_sign_in(client, settings):
    from django.contrib.auth.models import User

    from conditions.demo_content import load_demo

    settings.DEBUG = False
    load_demo()
    assert not User.objects.filter(username="admin").exists()
    settings.DEBUG = True
    load_demo()
    settings.DEBUG = False
    load_demo()
    assert not client.login(username="admin", password="tovani-admin")
