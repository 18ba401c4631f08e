"""A translation is its own page: reviewed, signed and published through the workflow, signed
only by an active physician who reviews in its language and did not translate it."""

import pytest
from django.contrib.auth.models import Group

from reviews import workflow
from reviews.digest import source_digest
from tests.conftest import PASSWORD, make_user
from tests.translating import english_page, spanish_physician, translated_page, translator_user
from translations.models import Translation


@pytest.fixture
def english(editor, physician_user, publisher):
    return english_page(editor, physician_user, publisher)


@pytest.fixture
def translator(db):
    return translator_user()


def test_a_translation_has_a_segment_for_each_unit_of_the_english_document(english, translator):
    """Title, summary, each key point, definitions, each FAQ question and answer, the notice."""
    page = translated_page(english, translator)
    labels = [segment.label for segment in page.ordered_segments()]
    assert labels == [
        "Title",
        "Page label",
        "Summary",
        "Key point 1",
        "Clinical definition",
        "Question 1",
        "Answer 1",
        "Question 2",
        "Answer 2",
        "Regulatory notice",
    ]


def test_a_translated_page_is_signed_and_published_through_the_workflow(
    english, translator, publisher
):
    """A Spanish reviewer signs its source; the publisher publishes; the page goes live."""
    page = translated_page(english, translator)
    workflow.submit_for_review(page, translator)
    reviewer = spanish_physician()
    workflow.sign_off(page, reviewer, PASSWORD)
    publication = workflow.publish(page, publisher)
    assert workflow.state(page) == workflow.State.LIVE
    assert publication.document["title"] == "Trastorno de prueba"
    assert publication.document["language"] == "es"
    assert publication.document["translation_of"]["digest"] == english_publication(english).digest
    assert publication.source_digest == source_digest(page)


def test_a_physician_whose_profile_does_not_list_spanish_cannot_sign(
    english, translator, physician_user
):
    """Dr. House reviews English only: the sign-off is refused, saying why."""
    page = translated_page(english, translator)
    with pytest.raises(workflow.WorkflowError, match="does not list Spanish"):
        workflow.sign_off(page, physician_user, PASSWORD)


def test_the_translator_cannot_sign_their_own_translation(english):
    """A physician who translated the page needs another Spanish-reading physician."""
    bilingual = spanish_physician("dr.ruiz", "Andrés Ruiz Demo")
    bilingual.groups.add(Group.objects.get(name="Translators"))
    page = translated_page(english, bilingual)
    with pytest.raises(workflow.WorkflowError, match="You translated this page"):
        workflow.sign_off(page, bilingual, PASSWORD)
    workflow.sign_off(page, spanish_physician(), PASSWORD)


def test_an_inactive_spanish_physician_cannot_sign(english, translator):
    """Listing Spanish is not enough: the physician must be active."""
    page = translated_page(english, translator)
    reviewer = spanish_physician()
    reviewer.physician.is_active = False
    reviewer.physician.save()
    with pytest.raises(workflow.WorkflowError, match="not an active physician"):
        workflow.sign_off(page, reviewer, PASSWORD)


def test_an_untranslated_segment_blocks_submission(english, translator):
    """Every unit must be translated before a physician is asked."""
    from translations import editing

    page = editing.start_translation(english, "es", translator)
    with pytest.raises(workflow.WorkflowError, match="“Title” is not translated yet"):
        workflow.submit_for_review(page, translator)


def test_only_a_published_english_page_can_be_translated(condition, translator):
    """A draft has no publication to translate."""
    from translations import editing
    from translations.errors import TranslationError

    with pytest.raises(TranslationError, match="Only a published English page"):
        editing.start_translation(condition, "es", translator)
    assert not Translation.objects.exists()


def test_someone_without_the_translator_role_cannot_submit(english, translator):
    """Submitting asks for the right to change translations."""
    page = translated_page(english, translator)
    outsider = make_user("olga")
    with pytest.raises(workflow.WorkflowError, match="Only an editor of this page"):
        workflow.submit_for_review(page, outsider)


def english_publication(page):
    return workflow.live_publication(page)
