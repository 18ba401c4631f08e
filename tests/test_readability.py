"""Reading grades for editors and reviewers: advice against a target, never a block.

The Flesch-Kincaid grade (textstat) of each prose section shows on the change page and the
review screen against READABILITY_TARGET_GRADE (default 8); sections above it are flagged. A
page far above the target can still be submitted, signed off and published. The API gives the
page's grade.
"""

import re

from django.urls import reverse

from reviews import workflow
from tests.conftest import PASSWORD, edit
from tests.pagetext import visible_text
from tovani.readability import grade, readability

PLAIN = (
    "OCD is a common problem. People with OCD have thoughts they do not want. They also "
    "do things again and again to feel better. Talk therapy helps most people. Some people "
    "also take a pill each day. Ask your doctor what is best for you."
)
DENSE = (
    "Pharmacological augmentation strategies incorporating antipsychotic medications demonstrate "
    "heterogeneous effectiveness across randomized investigations, necessitating individualized "
    "consideration of cardiometabolic tolerability, neurological adverse consequences, and "
    "longitudinal monitoring requirements within specialized psychiatric management frameworks."
)


def test_plain_text_grades_low_and_dense_text_high():
    """Short words and sentences score a low grade; long ones a high grade."""
    assert grade(PLAIN) < 8 < grade(DENSE)


def test_text_too_short_to_grade_gets_no_grade():
    """A few words say nothing fair about reading level."""
    assert grade("A short summary.") is None


def test_sections_above_the_target_are_flagged(settings):
    """The target comes from settings; only sections above it are warnings."""
    result = readability([("Plain", [PLAIN]), ("Dense", [DENSE])])
    assert [section.section for section in result.warnings] == ["Dense"]
    settings.READABILITY_TARGET_GRADE = 40
    assert readability([("Dense", [DENSE])]).warnings == []


def test_the_change_page_and_the_review_screen_show_the_grades(
    client, condition, physician_user, editor
):
    """Editors see it while editing; physicians while reviewing."""
    edit(condition, editor, clinical_definition=DENSE, ketamine_fit=PLAIN)
    client.force_login(editor)
    change = visible_text(
        client.get(
            reverse("admin:conditions_condition_change", args=[condition.pk])
        ).content.decode()
    )
    assert "Reading level" in change
    assert re.search(r"Clinical definition \d+ [\d.]+ Above grade 8", change)
    assert re.search(r"Where ketamine fits \d+ [\d.]+ Within the target", change)
    client.force_login(physician_user)
    review = visible_text(
        client.get(
            reverse("admin:conditions_condition_review", args=[condition.pk])
        ).content.decode()
    )
    assert re.search(r"Clinical definition \d+ [\d.]+ Above grade 8", review)


def test_hard_text_never_stops_the_workflow(condition, editor, physician_user, publisher):
    """A page far above the target is submitted, signed off and published all the same."""
    edit(condition, editor, clinical_definition=DENSE)
    workflow.submit_for_review(condition, editor)
    workflow.sign_off(condition, physician_user, PASSWORD)
    assert workflow.publish(condition, publisher).pk


def test_the_api_gives_the_pages_reading_grade(api, published, editor, physician_user, publisher):
    """reading_grade: the Flesch-Kincaid grade of the page's running text."""
    edit(published, editor, clinical_definition=DENSE)
    workflow.sign_off(published, physician_user, PASSWORD)
    workflow.publish(published, publisher)
    body = api.get(f"/api/v1/conditions/{published.slug}/").json()
    assert body["reading_grade"] > 8
