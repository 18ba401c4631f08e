"""Every change that makes cached answers wrong writes its purge in its own transaction."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from conditions.models import Treatment
from purges.models import Purge
from reviews import clock, workflow
from reviews.models import ReviewEvent
from tests.conftest import PASSWORD, make_condition, make_reference
from tests.library import treatment


def purges(reason=None):
    found = Purge.objects.order_by("pk")
    return list(found.filter(reason=reason) if reason else found)


@pytest.fixture
def cited(db):
    return make_reference("rodriguez2013")


@pytest.fixture
def citing_page(editor, physician_user, publisher, cited):
    page = make_condition(editor, slug="ocd", clinical_definition="Thoughts [@rodriguez2013].")
    workflow.sign_off(page, physician_user, PASSWORD)
    workflow.publish(page, publisher)
    return page


def test_publishing_writes_a_purge_of_the_page_and_every_listing(published):
    """The purge names the page's key, the listings key and, for nginx, their addresses."""
    [purge] = purges(Purge.Reason.PUBLISHED)
    assert purge.key_list == [f"condition-{published.pk}", "listings"]
    assert "/conditions/test-condition/" in purge.path_list
    assert "/conditions/" in purge.path_list
    assert (purge.content_type.model, purge.object_id) == ("condition", published.pk)


def test_a_publish_that_rolls_back_leaves_no_purge(condition, physician_user, publisher):
    """The row is written in the publish's transaction, so it goes with it."""
    workflow.sign_off(condition, physician_user, PASSWORD)
    written = []

    def publish_then_fail():
        with transaction.atomic():
            workflow.publish(condition, publisher)
            written.extend(purges())
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        publish_then_fail()
    assert len(written) == 1
    assert purges() == []


def test_unpublishing_writes_a_withdrawal_purge(published, publisher):
    """Taking a page down purges it and every listing."""
    workflow.unpublish(published, publisher, "Outdated.")
    [purge] = purges(Purge.Reason.WITHDRAWN)
    assert purge.key_list == [f"condition-{published.pk}", "listings"]


def test_a_review_expiry_withdrawal_writes_a_purge(published, settings):
    """A page taken down because its review expired is purged like any withdrawal."""
    later = timezone.now() + timedelta(days=settings.REVIEW_INTERVAL_DAYS + 1)
    with clock.frozen_at(later):
        workflow.withdraw_overdue(published)
    assert [p.object_id for p in purges(Purge.Reason.WITHDRAWN)] == [published.pk]


def test_a_retraction_keeps_citing_pages_live_under_review_and_purges_them(
    client, citing_page, cited
):
    """By default a citing page stays live (its review opens elsewhere); every cache drops it."""
    cited.retracted = True
    cited.retraction_notice = "Retracted by the journal on March 3, 2026."
    cited.save()
    assert client.get("/conditions/ocd/").status_code == 200
    assert purges(Purge.Reason.WITHDRAWN) == []
    [retraction] = purges(Purge.Reason.RETRACTED)
    assert retraction.key_list == ["ref-rodriguez2013", "listings"]


def test_under_the_withdraw_policy_a_retraction_takes_down_every_live_page_citing_it(
    client, citing_page, cited, settings
):
    """The citing page comes down with the notice on its timeline; the reference is purged."""
    settings.RETRACTED_PAGES = "withdraw"
    cited.retracted = True
    cited.retraction_notice = "Retracted by the journal on March 3, 2026."
    cited.save()
    assert client.get("/conditions/ocd/").status_code == 404
    event = ReviewEvent.objects.for_object(citing_page).first()
    assert event.kind == ReviewEvent.Kind.UNPUBLISHED
    assert "Retracted by the journal on March 3, 2026." in event.note
    assert [p.object_id for p in purges(Purge.Reason.WITHDRAWN)] == [citing_page.pk]
    [retraction] = purges(Purge.Reason.RETRACTED)
    assert retraction.key_list == ["ref-rodriguez2013", "listings"]


def test_a_page_that_does_not_cite_the_retracted_reference_stays(
    client, published, cited, settings
):
    """Only pages whose live publication cites the reference come down."""
    settings.RETRACTED_PAGES = "withdraw"
    cited.retracted = True
    cited.retraction_notice = "Retracted."
    cited.save()
    assert client.get("/conditions/test-condition/").status_code == 200
    assert purges(Purge.Reason.WITHDRAWN) == []


def test_saving_a_reference_without_retracting_it_purges_nothing(citing_page, cited):
    """Only the retraction itself purges."""
    before = len(purges())
    cited.title = "A corrected title"
    cited.save()
    assert len(purges()) == before


def test_a_reviewer_profile_edit_purges_the_reviewer_key(physician):
    """Pages and the profile carry the reviewer's key; an edit purges it (old and new slug)."""
    old = physician.slug
    physician.biography = "Board-certified psychiatrist."
    physician.slug = "gregory-house-md"
    physician.save()
    [purge] = purges(Purge.Reason.REVIEWER)
    assert purge.key_list == sorted([f"reviewer-{old}", "reviewer-gregory-house-md"])


def test_a_treatment_summary_change_purges_the_treatment_key(db):
    """Treatment pages and every page showing the treatment carry its key."""
    item = treatment("ketamine-infusion", "Ketamine infusion", summary="Ketamine by IV.")
    item.summary = "Ketamine given intravenously over 40 minutes."
    item.save()
    [purge] = purges(Purge.Reason.TREATMENT)
    assert purge.key_list == ["treatment-ketamine-infusion"]


def test_saving_a_treatment_unchanged_purges_nothing(db):
    """A save that changes nothing a reader sees sends no purge."""
    item = treatment("ketamine-infusion", "Ketamine infusion", summary="Ketamine by IV.")
    Treatment.objects.get(pk=item.pk).save()
    assert purges() == []


def test_with_no_cache_configured_a_purge_is_settled_once_committed(
    condition, physician_user, publisher, django_capture_on_commit_callbacks
):
    """The worker confirms at once when there is nothing to purge, and the timeline is silent."""
    from purges.timeline import timeline_entries

    workflow.sign_off(condition, physician_user, PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(condition, publisher)
    [purge] = purges()
    assert purge.confirmed_at is not None
    assert purge.confirmed_by == {}
    assert timeline_entries(condition) == []
