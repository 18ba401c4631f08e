"""The publish gate: nothing reaches the public without a fresh sign-off of that exact content."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reviews import clock, workflow
from reviews.digest import document_digest
from reviews.errors import AppendOnlyError, WorkflowError
from reviews.models import Publication, SignOff
from tests.conftest import PASSWORD, edit, make_user


def test_publishing_without_any_sign_off_is_refused(condition, publisher):
    """A page no physician has signed cannot be published, and no publication is written."""
    with pytest.raises(WorkflowError, match="No physician has signed off this page"):
        workflow.publish(condition, publisher)
    assert not Publication.objects.exists()


def test_publishing_after_an_edit_to_signed_content_is_refused(
    condition, physician_user, publisher, editor
):
    """An edit after the sign-off changes the digest, so the old sign-off no longer counts."""
    workflow.sign_off(condition, physician_user, PASSWORD)
    edit(condition, editor, summary="A changed summary nobody reviewed.")
    with pytest.raises(WorkflowError, match="has changed since Dr. Gregory House, MD signed"):
        workflow.publish(condition, publisher)
    assert not Publication.objects.exists()


def test_publishing_a_signed_off_page_makes_it_live(condition, physician_user, publisher):
    """Publishing stores the signed document and its sign-off as the live publication."""
    signed = workflow.sign_off(condition, physician_user, PASSWORD, note="Looks right.")
    publication = workflow.publish(condition, publisher)
    assert publication.digest == signed.digest
    assert publication.sign_off == signed
    assert publication.document == signed.document
    assert publication.published_by == publisher
    assert Publication.objects.live().get() == publication


def test_publishing_needs_the_publish_permission(condition, physician_user, editor):
    """An editor cannot publish even a signed-off page."""
    workflow.sign_off(condition, physician_user, PASSWORD)
    with pytest.raises(WorkflowError, match="do not have permission to publish"):
        workflow.publish(condition, editor)


def test_a_sign_off_older_than_the_review_interval_cannot_be_published(
    condition, physician_user, publisher, settings
):
    """A sign-off past REVIEW_INTERVAL_DAYS is stale: the page must be reviewed again."""
    settings.REVIEW_INTERVAL_DAYS = 30
    with clock.frozen_at(timezone.now() - timedelta(days=31)):
        workflow.sign_off(condition, physician_user, PASSWORD)
    with pytest.raises(WorkflowError, match="older than the 30-day review interval"):
        workflow.publish(condition, publisher)


def test_a_sign_off_by_a_physician_no_longer_active_cannot_be_published(
    condition, physician_user, publisher
):
    """Deactivating a physician withdraws the weight of their unpublished sign-offs."""
    workflow.sign_off(condition, physician_user, PASSWORD)
    physician_user.physician.is_active = False
    physician_user.physician.save()
    with pytest.raises(WorkflowError, match="no longer an active physician"):
        workflow.publish(condition, publisher)


def test_publishing_the_same_version_twice_makes_one_publication(published, publisher):
    """A second publish of a page already live at this version is refused."""
    with pytest.raises(WorkflowError, match="already live"):
        workflow.publish(published, publisher)
    assert Publication.objects.count() == 1


def test_signing_off_asks_for_the_password_again(condition, physician_user):
    """A wrong password records no sign-off."""
    with pytest.raises(WorkflowError, match="password is not correct"):
        workflow.sign_off(condition, physician_user, "not the password")
    assert not SignOff.objects.exists()


def test_signing_off_needs_a_physician_profile_even_for_a_superuser(condition, db):
    """A superuser without a physician profile cannot sign."""
    admin = make_user("root", is_superuser=True)
    with pytest.raises(WorkflowError, match="no physician profile"):
        workflow.sign_off(condition, admin, PASSWORD)


def test_a_sign_off_records_its_meaning_note_signature_and_document(condition, physician_user):
    """The record says who signed, as what, what it means, and exactly what was approved."""
    signed = workflow.sign_off(condition, physician_user, PASSWORD, note="  Checked codes.  ")
    document, digest = workflow.current_document(condition)
    assert signed.signature == "Dr. Gregory House, MD"
    assert signed.meaning == "Reviewed for clinical accuracy"
    assert signed.note == "Checked codes."
    assert signed.document == document
    assert signed.source_digest == digest
    assert signed.digest == document_digest(document)


def test_sign_offs_cannot_be_changed_or_deleted_through_the_orm(condition, physician_user):
    """Sign-offs are append-only: save() on a stored row, delete(), update() all raise."""
    signed = workflow.sign_off(condition, physician_user, PASSWORD)
    signed.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        signed.save()
    with pytest.raises(AppendOnlyError):
        signed.delete()
    with pytest.raises(AppendOnlyError):
        SignOff.objects.update(note="rewritten")
    with pytest.raises(AppendOnlyError):
        SignOff.objects.all().delete()
    assert SignOff.objects.get().note == ""


def test_publications_cannot_be_changed_or_deleted_through_the_orm(published):
    """Publications are append-only too."""
    publication = Publication.objects.get()
    with pytest.raises(AppendOnlyError):
        publication.save()
    with pytest.raises(AppendOnlyError):
        Publication.objects.filter(pk=publication.pk).update(title="Defaced")
    with pytest.raises(AppendOnlyError):
        Publication.objects.filter(pk=publication.pk).delete()
    assert Publication.objects.get().title == "Test Condition"


def test_a_page_cannot_be_published_at_another_live_page_address(
    condition, physician_user, publisher, editor
):
    """Two live pages never share a slug, even if drafts were renamed in between."""
    from tests.conftest import make_condition

    workflow.sign_off(condition, physician_user, PASSWORD)
    workflow.publish(condition, publisher)
    edit(condition, editor, slug="renamed-draft")
    other = make_condition(editor, slug="test-condition-2")
    edit(other, editor, slug="test-condition")
    workflow.sign_off(other, physician_user, PASSWORD)
    with pytest.raises(WorkflowError, match="already published at the address"):
        workflow.publish(other, publisher)


def test_a_version_a_later_sign_off_superseded_is_not_approved_again_by_reverting(
    condition, editor, physician_user, publisher
):
    """Going back to text that a physician signed, then corrected, needs a new sign-off."""
    workflow.sign_off(condition, physician_user, PASSWORD)
    edit(condition, editor, clinical_definition="The corrected definition.")
    workflow.sign_off(condition, physician_user, PASSWORD)
    edit(condition, editor, clinical_definition="A definition.")
    with pytest.raises(WorkflowError, match="The page has changed since Dr. Gregory House, MD"):
        workflow.publish(condition, publisher)
    assert not Publication.objects.exists()


def test_a_request_for_changes_after_a_sign_off_withdraws_the_approval(
    condition, editor, physician_user, publisher
):
    """Reverting to a signed version that a later review sent back does not approve it again."""
    workflow.sign_off(condition, physician_user, PASSWORD)
    edit(condition, editor, clinical_definition="A rewritten definition.")
    workflow.submit_for_review(condition, editor)
    workflow.request_changes(condition, physician_user, "On second thought, cite the trial.")
    edit(condition, editor, clinical_definition="A definition.")
    assert workflow.state(condition) == workflow.State.CHANGES_REQUESTED
    with pytest.raises(WorkflowError, match="A physician asked for changes after this version"):
        workflow.publish(condition, publisher)


def test_signing_refuses_a_version_other_than_the_one_reviewed(condition, editor, physician_user):
    seen = workflow.current_document(condition)[1]
    edit(condition, editor, summary="Saved while the physician was reading.")
    with pytest.raises(WorkflowError, match="The page changed while you were reviewing it"):
        workflow.sign_off(condition, physician_user, PASSWORD, reviewed_digest=seen)
    assert not SignOff.objects.exists()
