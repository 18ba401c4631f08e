"""Staleness by segment: when the English page is published again, only the segments whose
English changed go stale, and the translator sees the old English, the new, and the old Spanish."""

import pytest
import reversion

from conditions.models import FAQ
from reviews import workflow
from reviews.models import ReviewEvent
from tests.conftest import PASSWORD
from tests.translating import (
    SPANISH,
    english_page,
    spanish_physician,
    translated_page,
    translator_user,
)
from translations import editing
from translations.stale import stale_segments
from webhooks.models import Delivery, Endpoint


@pytest.fixture
def pages(editor, physician_user, publisher):
    english = english_page(editor, physician_user, publisher)
    translation = translated_page(english, translator_user())
    workflow.sign_off(translation, spanish_physician(), PASSWORD)
    workflow.publish(translation, publisher)
    return english, translation


def republish_answer(english, editor, physician_user, publisher, answer, significant=False):
    faq = english.faqs.get(question="Is it safe?")
    with reversion.create_revision():
        reversion.set_user(editor)
        faq.answer = answer
        faq.save()
    workflow.submit_for_review(
        english, editor, change_summary="Safety answer.", clinically_significant=significant
    )
    workflow.sign_off(english, physician_user, PASSWORD)
    return publish(english, publisher)


def publish(page, publisher):
    """Publish and run what waits for the commit: translations follow the English then."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return workflow.publish(page, publisher)


def test_changing_one_faq_answer_makes_exactly_that_segment_stale(
    pages, editor, physician_user, publisher
):
    """Every other segment stays current; Answer 2 goes stale; the translation now translates the
    new English publication and waits for a new review."""
    english, translation = pages
    new = republish_answer(
        english, editor, physician_user, publisher, "Blood pressure is watched closely."
    )
    translation.refresh_from_db()
    stale = [s.segment.label for s in stale_segments(translation)]
    assert stale == ["Answer 2"]
    assert translation.english_publication == new
    assert workflow.state(translation) == workflow.State.LIVE_WITH_UNREVIEWED_CHANGES
    with pytest.raises(workflow.WorkflowError, match="“Answer 2” is stale"):
        workflow.submit_for_review(translation, translation.translator)


def test_the_translator_sees_the_old_english_the_new_english_and_the_old_spanish(
    pages, editor, physician_user, publisher
):
    """The word diff marks exactly the added word."""
    english, translation = pages
    republish_answer(
        english, editor, physician_user, publisher, "Blood pressure is watched closely."
    )
    (item,) = stale_segments(translation)
    assert item.old_english == "Blood pressure is watched."
    assert item.new_english == "Blood pressure is watched closely."
    assert item.previous_translation == SPANISH["faq2_answer"]
    assert [w.text.strip() for w in item.english_diff if w.op == "added"] == ["closely"]
    assert [w.text for w in item.english_diff if w.op == "removed"] == []


def test_updating_the_stale_segment_lets_the_translation_be_signed_again(
    pages, editor, physician_user, publisher
):
    """Once the translator writes the segment again, the page can be reviewed and republished."""
    english, translation = pages
    republish_answer(
        english, editor, physician_user, publisher, "Blood pressure is watched closely."
    )
    segment = translation.segments.get(label="Answer 2")
    editing.write_segment(
        segment, "Se vigila de cerca la presión arterial.", translation.translator
    )
    workflow.submit_for_review(translation, translation.translator)
    workflow.sign_off(translation, spanish_physician("dr.ruiz", "Andrés Ruiz Demo"), PASSWORD)
    publication = workflow.publish(translation, publisher)
    assert "Se vigila de cerca" in publication.document["faqs"][1]["text"]


def test_adding_a_faq_adds_an_empty_segment_and_stales_nothing(
    pages, editor, physician_user, publisher
):
    """A new unit is untranslated, not stale; reordering keys by row keeps the others current."""
    english, translation = pages
    with reversion.create_revision():
        reversion.set_user(editor)
        FAQ.objects.create(
            condition=english, question="Who can have it?", answer="Adults.", sort_order=0
        )
    workflow.sign_off(english, physician_user, PASSWORD)
    publish(english, publisher)
    assert stale_segments(translation) == []
    missing = [s.label for s in translation.ordered_segments() if s.is_missing]
    assert missing == ["Question 1", "Answer 1"]


def test_a_clinically_significant_change_notifies_partners_and_keeps_a_notice_by_default(
    pages, editor, physician_user, publisher
):
    """translation.stale names the stale segments; the live translation stays up flagged."""
    from partners.accounts import create_partner

    partner, _ = create_partner("Acme", contact_email="api@acme.example")
    Endpoint.objects.create(
        partner=partner, url="https://127.0.0.1:9/hook", events=["translation.stale"]
    )
    english, translation = pages
    republish_answer(
        english, editor, physician_user, publisher, "Stop if blood pressure rises.", True
    )
    translation.refresh_from_db()
    assert translation.significant_english_change
    assert workflow.live_publication(translation) is not None
    delivery = Delivery.objects.get(event_type="translation.stale")
    assert delivery.payload["stale_segments"] == [translation.segments.get(label="Answer 2").key]
    assert delivery.payload["url"].endswith("/es/conditions/test-condition/")


def test_a_withdraw_policy_takes_the_translation_down_on_a_significant_change(
    pages, editor, physician_user, publisher
):
    """The page's policy can say: withdraw until signed again."""
    english, translation = pages
    translation.stale_policy = "withdraw"
    translation.save()
    republish_answer(
        english, editor, physician_user, publisher, "Stop if blood pressure rises.", True
    )
    assert workflow.live_publication(translation) is None


def test_a_change_not_flagged_significant_leaves_the_page_unflagged(
    pages, editor, physician_user, publisher
):
    """An ordinary edit makes the segment stale but no notice."""
    english, translation = pages
    republish_answer(
        english, editor, physician_user, publisher, "Blood pressure is watched closely."
    )
    translation.refresh_from_db()
    assert not translation.significant_english_change
    assert workflow.live_publication(translation) is not None


def test_unpublishing_the_english_page_takes_its_translation_down_with_it(pages, publisher, client):
    """In the same step, on the translation's own timeline; it cannot go live again until
    the English page is back."""
    english, translation = pages
    spanish_url = translation.public_path
    assert client.get(spanish_url).status_code == 200

    workflow.unpublish(english, publisher, "Being rewritten.")

    assert workflow.live_publication(translation) is None
    assert client.get(spanish_url).status_code == 404
    event = ReviewEvent.objects.for_object(translation).first()
    assert (event.kind, event.actor) == (ReviewEvent.Kind.UNPUBLISHED, None)
    assert "The English page it translates (test-condition) was taken off" in event.note
    with pytest.raises(workflow.WorkflowError, match="not on the public site"):
        workflow.publish(translation, publisher)
