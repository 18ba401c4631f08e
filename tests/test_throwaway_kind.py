"""A kind of page nobody built the library for joins every service by registering: the test
settings install tests/leaflets, which registers itself and touches no file outside its app.
It goes draft → review → sign-off → publish → public page → unpublish like any page."""

import pytest
import reversion
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from reversion.models import Version

from publishing.models import PageRendering
from publishing.urls import publication_url
from reviews import verification, workflow
from reviews.models import ReviewState
from reviews.queue import review_queue
from tests.conftest import PASSWORD, edit
from tests.leaflets.models import Leaflet
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.urls("tests.leaflets.site_urls")


@pytest.fixture
def leaflet(editor):
    # An administrator gives the Editors role the new kind's permissions, as for any model.
    editors = Group.objects.get(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="leaflets"))
    with reversion.create_revision():
        reversion.set_user(editor)
        return Leaflet.objects.create(slug="ketamine-aftercare", title="Aftercare", body="Rest.")


def stored_state(page):
    return ReviewState.objects.get(object_id=page.pk, content_type__model="leaflet")


def test_a_leaflet_goes_from_draft_to_public_and_back(
    client,
    leaflet,
    editor,
    physician_user,
    publisher,
    settings,
    django_capture_on_commit_callbacks,
):
    """Every service, in the order a page meets them."""
    settings.SITE_URL = "https://library.example"
    partner_endpoint = Endpoint.objects.create(
        partner=_partner(), url="https://hooks.acme.example/tovani"
    )
    # Recorded saves and the stored state.
    assert stored_state(leaflet).state == ReviewState.State.DRAFT
    assert stored_state(leaflet).changed_by == [editor.pk]
    assert Version.objects.get_for_object(leaflet).count() == 1
    # Review: the queue lists the submission.
    workflow.submit_for_review(leaflet, editor)
    assert [page for page, _ in review_queue([Leaflet]).awaiting_review] == [leaflet]
    # The author cannot sign; another physician does, then a publisher publishes.
    workflow.sign_off(leaflet, physician_user, PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        publication = workflow.publish(leaflet, publisher)
    # Rendered at publish, served from the stored rendering, at its registered route.
    stored = PageRendering.objects.get(publication=publication)
    assert "<h1>Aftercare</h1>" in stored.html
    url = reverse("leaflets:detail", args=["ketamine-aftercare"])
    assert publication_url(publication) == f"https://library.example{url}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Reviewed by Dr. Gregory House, MD" in page.content.decode()
    assert 'href="https://library.example/leaflets/ketamine-aftercare/"' in page.content.decode()
    # In the sitemap; signed and verified like every publication.
    assert f"https://library.example{url}" in client.get("/sitemap.xml").content.decode()
    assert verification.signature_problems() == []
    # An edit is recorded and shows in the queue as live with unreviewed changes.
    edit(leaflet, editor, body="Rest, and drink water.")
    assert stored_state(leaflet).state == ReviewState.State.LIVE_WITH_UNREVIEWED_CHANGES
    assert [page for page, _ in review_queue([Leaflet]).unreviewed_live] == [leaflet]
    assert "drink water" not in client.get(url).content.decode()
    # Unpublished: gone from the site; partners (whose API serves no leaflets) heard nothing.
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(leaflet, publisher, "Replaced by a condition page.")
    assert client.get(url).status_code == 404
    assert stored_state(leaflet).publication is None
    assert not Delivery.objects.filter(endpoint=partner_endpoint).exists()


def _partner():
    from partners.accounts import create_partner

    return create_partner("Acme Health", contact_email="integrations@acme.example")[0]
