"""After-effects read the publication, never the draft: partners' events name their kind and
come only for kinds the partner API serves; events and reader reports carry the published slug."""

import pytest
import reversion
from django.urls import reverse

from editorial.models import EditorialPage
from partners.accounts import create_partner
from reviews import workflow
from reviews.models import Publication
from tests.conftest import PASSWORD, edit
from webhooks.models import Delivery, Endpoint


@pytest.fixture
def endpoint(db, settings):
    settings.SITE_URL = "https://library.example"
    partner = create_partner("Acme Health", contact_email="integrations@acme.example")[0]
    return Endpoint.objects.create(partner=partner, url="https://hooks.acme.example/tovani")


@pytest.fixture
def no_sending(monkeypatch):
    """Deliveries are recorded but not sent: these tests read what would be sent."""
    monkeypatch.setattr("webhooks.tasks.queue", lambda delivery: None)


def publish(page, physician_user, publisher, capture):
    workflow.sign_off(page, physician_user, PASSWORD)
    with capture(execute=True):
        return workflow.publish(page, publisher)


def test_an_event_names_the_kind_of_page(
    endpoint, no_sending, condition, physician_user, publisher, django_capture_on_commit_callbacks
):
    """page.published says which kind of page went live."""
    publish(condition, physician_user, publisher, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.event_type == "page.published"
    assert delivery.payload["kind"] == "condition"


def test_partners_hear_nothing_of_a_kind_the_api_does_not_serve(
    endpoint, no_sending, editor, physician_user, publisher, django_capture_on_commit_callbacks
):
    """Publishing and unpublishing an editorial statement sends partners no event."""
    with reversion.create_revision():
        reversion.set_user(editor)
        page = EditorialPage.objects.create(
            slug="disclosures", title="Disclosures", summary="Who pays.", body="Nobody."
        )
    publish(page, physician_user, publisher, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(page, publisher, "Rewritten.")
    assert not Delivery.objects.exists()


def test_a_withdrawal_after_a_slug_edit_carries_the_published_address(
    endpoint, no_sending, published, editor, publisher, django_capture_on_commit_callbacks
):
    """The draft's new slug is not yet anyone's address: the event names the published one."""
    edit(published, editor, slug="renamed-in-draft")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(published, publisher, "Merged into another page.")
    withdrawn = Delivery.objects.get(event_type="page.withdrawn").payload
    assert withdrawn["slug"] == "test-condition"
    assert withdrawn["url"] == "https://library.example/conditions/test-condition/"


def test_a_reader_report_links_back_to_the_published_page(client, published, editor):
    """The report form and its thanks link the page readers read, not the renamed draft."""
    live = Publication.objects.live().get()
    edit(published, editor, slug="renamed-in-draft")
    for name in ["feedback:report", "feedback:sent"]:
        html = client.get(reverse(name, args=[live.pk])).content.decode()
        assert 'href="/conditions/test-condition/"' in html
        assert "renamed-in-draft" not in html
