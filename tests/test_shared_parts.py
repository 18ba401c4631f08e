"""Parts several pages show are reviewed as shared: a treatment's change form names the live
pages a save sends back to review, the save goes on each page's timeline, and the review screen
says the change came from the shared part."""

import pytest
import reversion
from django.urls import reverse

from conditions.models import SharedPartChange
from reviews import workflow
from tests.library import publish_condition, treatment


@pytest.fixture
def shared(editor, physician_user, publisher):
    """An SSRI listed by two live pages, worded for OCD."""
    ssri = treatment("ssri", "SSRIs", summary="Added to an SSRI when ERP alone is not enough.")
    people = (editor, physician_user, publisher)
    ocd = publish_condition(people, "ocd", "OCD", treatments=[(ssri, "first_line")])
    depression = publish_condition(
        people, "depression", "Depression", treatments=[(ssri, "first_line")]
    )
    return ssri, ocd, depression


def change_summary(ssri, editor, summary):
    with reversion.create_revision():
        reversion.set_user(editor)
        ssri.summary = summary
        ssri.save()


def test_the_change_form_names_the_live_pages_a_save_sends_back_to_review(client, editor, shared):
    """Before saving, the editor reads which live pages show the treatment."""
    ssri, ocd, depression = shared
    client.force_login(editor)
    html = client.get(reverse("admin:conditions_treatment_change", args=[ssri.pk])).content
    html = html.decode()
    assert "This treatment is shown on 2 live pages." in html
    assert "saving a change sends them back to review" in html
    for page in (ocd, depression):
        assert reverse("admin:conditions_condition_change", args=[page.pk]) in html


def test_a_treatment_shown_on_no_live_page_warns_of_nothing(client, editor, db):
    """A treatment no live page lists has nothing to send back."""
    lonely = treatment("lithium", "Lithium")
    client.force_login(editor)
    html = client.get(reverse("admin:conditions_treatment_change", args=[lonely.pk])).content
    assert b"live page" not in html


def test_a_saved_treatment_goes_on_the_timeline_of_every_page_showing_it(client, editor, shared):
    """Each page showing it records the change, and goes back to review."""
    ssri, ocd, depression = shared
    change_summary(ssri, editor, "Taken daily; the first medicine tried for depression.")
    assert SharedPartChange.objects.filter(part="Treatment “SSRIs”").count() == 2
    client.force_login(editor)
    for page in (ocd, depression):
        assert workflow.state(page) == workflow.State.LIVE_WITH_UNREVIEWED_CHANGES
        timeline = client.get(reverse("admin:conditions_condition_timeline", args=[page.pk]))
        text = timeline.content.decode()
        assert "Treatment “SSRIs” changed</strong> by edna" in text
        assert "A part this page shares with 1 other page" in text


def test_the_physician_sees_that_the_change_came_from_the_shared_part(
    client, editor, physician_user, shared
):
    """The review screen lists the shared change and marks the summary as shared."""
    ssri, _, depression = shared
    change_summary(ssri, editor, "Taken daily; the first medicine tried for depression.")
    client.force_login(physician_user)
    html = client.get(reverse("admin:conditions_condition_review", args=[depression.pk]))
    html = html.content.decode()
    assert "Changed through parts this page shares with other pages" in html
    assert "Treatment “SSRIs” (shared with 1 other page), changed by edna" in html
    assert "SSRIs (shared with 1 other page): " in html
    assert '<h3>Treatment summaries (shared)<span class="badge">changed</span></h3>' in html
