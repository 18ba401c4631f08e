"""publish() runs what a page needs to go live itself; listeners hear of it after commit.

Rendering and indexing run inside the publish's transaction, so a page that cannot be rendered
does not go live. Receivers of ``published`` and ``unpublished`` run only after the commit and
can neither block nor undo it. The process that publishes or unpublishes shows the change at
once, however long PAGE_POINTER_SECONDS is.
"""

import pytest

from conditions.models import SearchEntry
from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import LivePublication, Publication
from reviews.signals import published as published_signal
from tests.admin_http import AdminBrowser, step
from tests.conftest import PASSWORD, edit


@pytest.fixture
def signed(condition, physician_user):
    workflow.sign_off(condition, physician_user, PASSWORD)
    return condition


@pytest.fixture
def unrenderable(monkeypatch):
    def fail(publication, kinds):
        raise ValueError("the template is broken")

    monkeypatch.setattr("publishing.renderings.render_all", fail)


class TestAPageThatCannotRender:
    def test_publish_refuses_and_nothing_goes_live(self, signed, publisher, unrenderable):
        with pytest.raises(WorkflowError, match="could not be published.*template is broken"):
            workflow.publish(signed, publisher)
        assert not Publication.objects.exists()
        assert not LivePublication.objects.exists()
        assert not SearchEntry.objects.exists()
        assert workflow.state(signed) == workflow.State.APPROVED

    def test_the_admin_says_so_and_nothing_goes_live(self, signed, publisher, unrenderable):
        browser = AdminBrowser(publisher)
        response = step(browser, signed, "publish")
        assert "could not be published" in browser.messages(response)
        assert not LivePublication.objects.exists()


class TestListeners:
    def test_they_hear_of_a_publish_only_after_commit(
        self, signed, publisher, django_capture_on_commit_callbacks
    ):
        heard = []

        def listener(sender, instance, publication, **kwargs):
            heard.append(publication.pk)

        published_signal.connect(listener)
        try:
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                publication = workflow.publish(signed, publisher)
                assert heard == []
            for callback in callbacks:
                callback()
        finally:
            published_signal.disconnect(listener)
        assert heard == [publication.pk]

    def test_a_failing_listener_neither_blocks_nor_undoes_a_publish(
        self, signed, publisher, django_capture_on_commit_callbacks
    ):
        def broken(sender, **kwargs):
            raise RuntimeError("webhook down")

        published_signal.connect(broken)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                workflow.publish(signed, publisher)
        finally:
            published_signal.disconnect(broken)
        assert workflow.state(signed) == workflow.State.LIVE
        assert SearchEntry.objects.get().slug == signed.slug


class TestThePublishingProcess:
    @pytest.fixture(autouse=True)
    def _long_pointer_memory(self, settings):
        from publishing.pointers import recent_pointers

        settings.PAGE_POINTER_SECONDS = 600
        recent_pointers.clear()
        yield
        recent_pointers.clear()

    def test_shows_a_new_version_at_once(
        self,
        client,
        published,
        editor,
        physician_user,
        publisher,
        django_capture_on_commit_callbacks,
    ):
        assert "A definition." in client.get(f"/conditions/{published.slug}/").content.decode()
        edit(published, editor, clinical_definition="The revised definition.")
        workflow.sign_off(published, physician_user, PASSWORD)
        with django_capture_on_commit_callbacks(execute=True):
            response = step(AdminBrowser(publisher), published, "publish")
        assert response.status_code == 302
        html = client.get(f"/conditions/{published.slug}/").content.decode()
        assert "The revised definition." in html

    def test_shows_an_unpublished_page_gone_at_once(
        self, client, published, publisher, django_capture_on_commit_callbacks
    ):
        assert client.get(f"/conditions/{published.slug}/").status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            workflow.unpublish(published, publisher, "Withdrawn.")
        assert client.get(f"/conditions/{published.slug}/").status_code == 404
