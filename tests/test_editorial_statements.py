"""The editorial policy and the disclosures: reviewed content, linked from every page's footer.

An editor drafts them in the admin; a physician signs the exact text; a publisher publishes
them; the public reads only the live publication at /about/editorial-policy/ and
/about/disclosures/.
"""

import pytest
import reversion
from django.urls import reverse

from conditions.demo_content import load_statements
from editorial.models import EditorialPage
from reviews import workflow
from tests.conftest import PASSWORD
from tests.pagetext import visible_text


def draft(editor, slug="editorial-policy", body="## Review\n\nEvery page is signed."):
    with reversion.create_revision():
        reversion.set_user(editor)
        return EditorialPage.objects.create(
            slug=slug, title="Editorial policy", summary="How we work.", body=body
        )


def test_a_draft_statement_is_not_public(client, editor):
    """Until signed off and published, the address answers 404."""
    draft(editor)
    assert client.get(reverse("editorial:policy")).status_code == 404


def test_a_statement_is_published_through_sign_off(client, editor, physician_user, publisher):
    """Publishing needs a physician's sign-off, as for any page; then the text is public."""
    page = draft(editor)
    with pytest.raises(workflow.WorkflowError, match="No physician has signed off"):
        workflow.publish(page, publisher)
    workflow.sign_off(page, physician_user, PASSWORD)
    workflow.publish(page, publisher)
    text = visible_text(client.get(reverse("editorial:policy")).content.decode())
    assert "Every page is signed." in text
    assert "Last reviewed by Dr. Gregory House, MD" in text


def test_an_edit_waits_for_a_new_sign_off(client, editor, physician_user, publisher):
    """The public keeps the signed text while an edit is unreviewed."""
    page = draft(editor)
    workflow.sign_off(page, physician_user, PASSWORD)
    workflow.publish(page, publisher)
    with reversion.create_revision():
        reversion.set_user(editor)
        page.body = "We use advertising."
        page.save()
    assert workflow.state(page) == workflow.State.LIVE_WITH_UNREVIEWED_CHANGES
    text = visible_text(client.get(reverse("editorial:policy")).content.decode())
    assert "We use advertising." not in text


def test_every_public_page_links_the_policy_and_the_disclosures(client, published):
    """The footer of pages, the index and search links both statements."""
    for url in ["/conditions/", published.get_absolute_url(), "/search/?q=test"]:
        html = client.get(url).content.decode()
        assert '<a href="/about/editorial-policy/">Editorial policy</a>' in html
        assert '<a href="/about/disclosures/">Disclosures</a>' in html


def test_the_demo_statements_cover_what_readers_and_standards_ask(client, demo):
    """Review, the interval, corrections, AI, funding, advertising; and the clinic's interest."""
    assert load_statements() == 3
    policy = visible_text(client.get(reverse("editorial:policy")).content.decode())
    for topic in [
        "Who reviews them",
        "at least once a year",
        "Corrections",
        "Use of artificial intelligence",
        "no advertising",
    ]:
        assert topic in policy
    disclosures = visible_text(client.get(reverse("editorial:disclosures")).content.decode())
    assert "The clinic offers ketamine-assisted treatment" in disclosures
    assert load_statements() == 0


def test_editors_may_edit_statements_and_physicians_may_not(client, editor, physician_user):
    """The roles: editors change statements, physicians only read them."""
    page = draft(editor)
    url = reverse("admin:editorial_editorialpage_change", args=[page.pk])
    client.force_login(physician_user)
    client.post(url, {"slug": page.slug, "title": "X", "summary": "X", "body": "X"})
    page.refresh_from_db()
    assert page.title == "Editorial policy"
    client.force_login(editor)
    assert client.get(url).status_code == 200
