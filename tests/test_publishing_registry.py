"""Kinds of page join the publishing layer by registering: once each, checked against the
Publishable protocol, and named by their publication's address in every after-effect."""

import pytest
import reversion
from django.core import checks

from conditions.models import Condition, Treatment
from editorial.models import EditorialPage
from publishing import registry
from publishing.errors import AlreadyRegistered, NotRegistered
from publishing.models import PageRendering
from publishing.protocol import PROTOCOL_METHODS, Publishable
from publishing.urls import publication_url
from reviews import workflow
from reviews.models import ReviewState
from reviews.queue import review_queue
from tests.conftest import PASSWORD, edit


def statement(editor, body="## Review\n\nEvery page is signed."):
    with reversion.create_revision():
        reversion.set_user(editor)
        return EditorialPage.objects.create(
            slug="editorial-policy", title="Editorial policy", summary="How we work.", body=body
        )


def test_registering_a_model_twice_is_an_error():
    """As django-reversion refuses a second register(), so does the registry."""
    with pytest.raises(AlreadyRegistered, match="conditions.Condition is already registered"):
        registry.register(Condition, route="conditions:detail")


def test_an_unregistered_model_is_named_when_asked_for():
    """Asking for the kind of a model nobody registered says which model."""
    with pytest.raises(NotRegistered, match="reviews.ReviewState is not a registered kind"):
        registry.kind_of(ReviewState)


def test_conditions_and_editorial_statements_are_registered_kinds():
    """Both kinds of page register themselves when their apps are ready."""
    labels = {kind.label for kind in registry.kinds()}
    assert {"conditions.condition", "editorial.editorialpage"} <= labels
    for model in (Condition, EditorialPage):
        assert isinstance(model(), Publishable)


def test_the_system_check_names_a_kind_that_lacks_the_protocol():
    """A registered model without the protocol's methods fails the system check, by name."""

    registry.register(Treatment, route="treatments:detail")
    try:
        errors = checks.run_checks()
    finally:
        registry.unregister(Treatment)
    found = [error for error in errors if error.id == "publishing.E001"]
    assert len(found) == 1
    assert "conditions.Treatment" in found[0].msg
    assert all(f"{name}()" in found[0].msg for name in PROTOCOL_METHODS)
    assert not [error for error in checks.run_checks() if error.id.startswith("publishing.")]


def test_an_editorial_edit_is_recorded_as_live_with_unreviewed_changes(
    editor, physician_user, publisher
):
    """The save path records a statement's edit in its stored state, as it does for conditions."""
    page = statement(editor)
    workflow.sign_off(page, physician_user, PASSWORD)
    workflow.publish(page, publisher)
    edit(page, editor, body="We use advertising.")
    row = ReviewState.objects.of_model(EditorialPage).get(object_id=page.pk)
    assert row.state == ReviewState.State.LIVE_WITH_UNREVIEWED_CHANGES
    assert row.changed_by == [editor.pk]
    assert [entry[0] for entry in review_queue([EditorialPage]).unreviewed_live] == [page]


def test_an_editorial_statement_is_rendered_when_it_is_published(editor, physician_user, publisher):
    """Publishing stores the statement's page, so no reader waits for its first rendering."""
    page = statement(editor)
    workflow.sign_off(page, physician_user, PASSWORD)
    publication = workflow.publish(page, publisher)
    stored = PageRendering.objects.get(publication=publication)
    assert stored.template == "editorial/page.html"
    assert "Every page is signed." in stored.html


def test_a_publication_url_is_built_from_what_was_published(published, editor, settings):
    """After a slug edit the publication's address is still the published one."""
    settings.SITE_URL = "https://library.example"
    publication = workflow.live_publication(published)
    edit(published, editor, slug="renamed-draft")
    assert publication_url(publication) == f"https://library.example/conditions/{publication.slug}/"


def test_a_published_editorial_statement_is_in_the_sitemap(
    client, editor, physician_user, publisher, settings
):
    """The sitemap lists every registered kind's live pages, statements included."""
    settings.SITE_URL = "https://library.example"
    page = statement(editor)
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/about/editorial-policy/" not in sitemap
    workflow.sign_off(page, physician_user, PASSWORD)
    workflow.publish(page, publisher)
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>https://library.example/about/editorial-policy/</loc>" in sitemap
