"""The issue's promise on the real demo page: an unsigned edit reaches nobody, by any route;
a physician's sign-off and a publish bring the new text and the new stamp to the public page
and the partner API together."""

import pytest
import reversion
from django.contrib.auth.models import User
from django.utils import formats, timezone

from conditions.models import Condition
from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import Publication
from tests.pagetext import visible_text

NEW_TEXT = "Response is usually judged after six treatments."
PAGE = "/conditions/treatment-resistant-ocd/"
API = "/api/v1/conditions/treatment-resistant-ocd/"


@pytest.fixture
def edited_demo(demo):
    page = Condition.objects.get(slug="treatment-resistant-ocd")
    with reversion.create_revision():
        reversion.set_user(User.objects.get(username="editor"))
        page.summary = f"{page.summary} {NEW_TEXT}"
        page.save()
    return page


def public_and_api(client, key):
    page = " ".join(visible_text(client.get(PAGE).content.decode()).split())
    api = client.get(API, headers={"x-api-key": key}).json()
    return page, api


def test_an_unsigned_edit_of_the_demo_is_published_by_no_route(client, edited_demo, partner_key):
    publisher = User.objects.get(username="publisher")
    with pytest.raises(WorkflowError, match="has changed since Dr. Ben Soffer, DO signed it off"):
        workflow.publish(edited_demo, publisher)
    client.force_login(publisher)
    client.post(f"/admin/conditions/condition/{edited_demo.pk}/workflow/publish/")
    client.logout()
    assert Publication.objects.count() == 1
    page, api = public_and_api(client, partner_key)
    assert NEW_TEXT not in page
    assert NEW_TEXT not in api["summary"]
    assert "Last reviewed by Dr. Ben Soffer, DO on June 2, 2026." in page
    assert api["review"]["stamp"] == "Last reviewed by Dr. Ben Soffer, DO on June 2, 2026."


def test_after_sign_off_and_publish_both_show_the_new_text_and_todays_stamp(
    client, edited_demo, partner_key
):
    physician = User.objects.get(username="ben.soffer")
    workflow.sign_off(edited_demo, physician, "tovani-physician", note="Checked.")
    workflow.publish(edited_demo, User.objects.get(username="publisher"))
    page, api = public_and_api(client, partner_key)
    today = formats.date_format(timezone.localdate(), "F j, Y")
    stamp = f"Last reviewed by Dr. Ben Soffer, DO on {today}."
    assert NEW_TEXT in page
    assert stamp in page
    assert NEW_TEXT in api["summary"]
    assert api["review"]["stamp"] == stamp


def test_an_edit_after_the_sign_off_blocks_publishing_again(client, edited_demo):
    physician = User.objects.get(username="ben.soffer")
    workflow.sign_off(edited_demo, physician, "tovani-physician")
    with reversion.create_revision():
        reversion.set_user(User.objects.get(username="editor"))
        edited_demo.summary += " One more sentence."
        edited_demo.save()
    with pytest.raises(WorkflowError, match="has changed since"):
        workflow.publish(edited_demo, User.objects.get(username="publisher"))
