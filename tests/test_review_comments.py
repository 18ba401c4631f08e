"""Review comments anchored to the parts of a page.

A physician comments on a key point (or a section, FAQ, treatment or reference) from the review
screen; the comment keeps a stable anchor and the text it was about. The editor reads it on the
change page under that part's label, replies and resolves it. Open comments stand beside the
sign-off box and go to the editor with a request for changes; the whole thread is on the
timeline. Comments never change the content or its digest.
"""

import pytest
from django.core import mail

from reviews import comments, workflow
from reviews.errors import WorkflowError
from reviews.models import ReviewComment
from tests.admin_http import AdminBrowser, page_url, review, step
from tests.conftest import add_key_point


@pytest.fixture
def submitted(condition, editor):
    add_key_point(condition, "Ketamine works within hours.", order=1)
    add_key_point(condition, "Effects fade within a week.", order=2)
    workflow.submit_for_review(condition, editor)
    return condition


def key_point_anchor(page, text):
    point = page.key_points.get(text=text)
    return f"conditions.keypoint:{point.pk}:text"


def comment_through_the_review_screen(browser, page, anchor, body):
    return step(browser, page, "comment", anchor=anchor, body=body, back="review")


def test_a_physician_comments_on_a_key_point_without_changing_the_page(submitted, physician_user):
    before_document, before_digest = workflow.current_document(submitted)
    browser = AdminBrowser(physician_user)
    anchor = key_point_anchor(submitted, "Effects fade within a week.")
    response = comment_through_the_review_screen(browser, submitted, anchor, "Cite the trial.")
    assert response["Location"] == page_url(submitted, "review/")
    [comment] = ReviewComment.objects.all()
    assert (comment.anchor, comment.anchor_label) == (anchor, "Key point 2")
    assert comment.quote == "Effects fade within a week."
    assert workflow.current_document(submitted) == (before_document, before_digest)
    assert workflow.state(submitted) == workflow.State.IN_REVIEW


def item_showing(html, text):
    """The review screen's diff item (<li>) that shows text, with its comment controls."""
    at = html.index(text)
    return html[html.rindex("<li", 0, at) : html.index("</li>", at)]


def test_the_review_screen_offers_a_comment_control_beside_each_part_and_lists_open_comments(
    submitted, physician_user
):
    browser = AdminBrowser(physician_user)
    anchor = key_point_anchor(submitted, "Ketamine works within hours.")
    comment_through_the_review_screen(browser, submitted, anchor, "Within hours? Say 24 hours.")
    html = browser.get(page_url(submitted, "review/")).content.decode()
    item = item_showing(html, "Ketamine works within hours.")
    assert f'name="anchor" value="{anchor}"' in item
    assert '<span class="visually-hidden"> on Key point 1</span>' in item
    assert anchor not in item_showing(html, "Effects fade within a week.")
    assert "<select" not in html[html.index('class="review-decisions"') :]
    aside = html[html.index('class="review-decisions"') :]
    assert aside.index("Sign off") < aside.index("Open comments (1)")
    assert "Within hours? Say 24 hours." in aside


def test_the_anchor_stays_on_its_key_point_when_another_is_added_before_it(
    submitted, physician_user, editor
):
    anchor = key_point_anchor(submitted, "Effects fade within a week.")
    comments.add_comment(submitted, physician_user, anchor, "Cite the trial.")
    add_key_point(submitted, "A new first point.", order=0)
    [group] = comments.grouped(submitted)
    assert group.current == "Effects fade within a week."
    assert group.label == "Key point 2"  # as it was called when the comment was made


def test_the_editor_sees_the_comment_under_its_part_replies_and_resolves(
    submitted, physician_user, editor
):
    anchor = key_point_anchor(submitted, "Effects fade within a week.")
    comment = comments.add_comment(submitted, physician_user, anchor, "Cite the trial.")
    workflow.request_changes(submitted, physician_user, "See my comment on the key point.")
    browser = AdminBrowser(editor)
    html = browser.get(page_url(submitted)).content.decode()
    panel = html[html.index("Reviewers' comments on the text") :]
    assert panel.index("Key point 2") < panel.index("Effects fade within a week.")
    assert panel.index("Effects fade within a week.") < panel.index("Cite the trial.")
    assert "Changes requested by Dr. Gregory House, MD on" in html
    assert "See my comment on the key point." in html
    browser.post(page_url(submitted, "workflow/reply/"), {"comment": comment.pk, "body": "Added."})
    response = browser.post(page_url(submitted, "workflow/resolve/"), {"comment": comment.pk})
    html = browser.messages(response)
    assert "Comment resolved." in html
    assert "Resolved by edna" in html
    comment.refresh_from_db()
    assert comment.resolved_by == editor
    assert [reply.body for reply in comment.replies.all()] == ["Added."]
    assert not ReviewComment.objects.open().exists()


def test_the_whole_thread_is_on_the_timeline(submitted, physician_user, editor):
    anchor = key_point_anchor(submitted, "Effects fade within a week.")
    comment = comments.add_comment(submitted, physician_user, anchor, "Cite the trial.")
    comments.reply(submitted, editor, comment.pk, "Added the citation.")
    comments.resolve(submitted, editor, comment.pk)
    html = AdminBrowser(editor).get(page_url(submitted, "timeline/")).content.decode()
    assert "Comment on Key point 2" in html
    assert "Cite the trial." in html
    assert "Reply on Key point 2" in html
    assert "Added the citation." in html
    assert "Comment resolved</strong> on Key point 2 by edna" in html


def test_open_comments_go_to_the_editor_with_the_request_for_changes(
    submitted, physician_user, editor, django_capture_on_commit_callbacks
):
    editor.email = "edna@example.org"
    editor.save()
    anchor = key_point_anchor(submitted, "Effects fade within a week.")
    comments.add_comment(submitted, physician_user, anchor, "Cite the trial.")
    done = comments.add_comment(submitted, physician_user, anchor, "Typo.")
    comments.resolve(submitted, physician_user, done.pk)
    browser = AdminBrowser(physician_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = review(browser, submitted, "request_changes", note="Two fixes.")
    said = "Changes requested. E-mailed the editor: edna."
    assert said in browser.messages(response)
    [message] = mail.outbox
    assert "Open comments on the text:" in message.body
    assert "- Key point 2 (“Effects fade within a week.”): Cite the trial." in message.body
    assert "Typo." not in message.body


def test_only_physicians_comment_and_only_on_a_part_of_the_page(submitted, editor, physician_user):
    anchor = key_point_anchor(submitted, "Effects fade within a week.")
    with pytest.raises(WorkflowError, match="Only an active physician"):
        comments.add_comment(submitted, editor, anchor, "Me too.")
    with pytest.raises(WorkflowError, match="Choose the part"):
        comments.add_comment(submitted, physician_user, "conditions.keypoint:999999:text", "?")
    browser = AdminBrowser(physician_user)
    html = browser.messages(comment_through_the_review_screen(browser, submitted, anchor, " "))
    assert "Write the comment." in html
    assert not ReviewComment.objects.exists()


def test_every_part_of_the_signed_source_has_its_control_beside_its_text(
    submitted, reference, physician_user
):
    """Title, page label, each code, search phrase, comparison, treatment, FAQ question and
    answer, the sections and the regulatory notice: each item of the review screen offers the
    parts it shows; a reference attached but not cited is offered at the foot of the diff."""
    from conditions.models import (
        FAQ,
        ClinicalCode,
        Comparison,
        ConditionTreatment,
        SearchPhrase,
        Treatment,
    )

    submitted.references.add(reference)
    ClinicalCode.objects.create(condition=submitted, system="ICD-11", code="6A71", sort_order=1)
    ClinicalCode.objects.create(condition=submitted, system="ICD-10", code="F32.2", sort_order=2)
    SearchPhrase.objects.create(condition=submitted, phrase="ketamine for depression")
    Comparison.objects.create(condition=submitted, name="Bipolar depression", text="Mood swings.")
    FAQ.objects.create(condition=submitted, question="Is it safe?", answer="Mostly.", sort_order=1)
    treatment = Treatment.objects.create(name="Esketamine", slug="esketamine", kind="medication")
    ConditionTreatment.objects.create(
        condition=submitted,
        treatment=treatment,
        line_of_therapy="escalation",
        description="Nasal spray.",
        sort_order=1,
    )
    html = AdminBrowser(physician_user).get(page_url(submitted, "review/")).content.decode()

    def offered(text, label):
        found = item_showing(html, text)
        assert f"on {label}<" in found, (text, label)

    offered(">Test Condition</ins>", "Title")
    offered("ICD-11 6A71", "Code ICD-11 6A71")
    offered("ICD-10 F32.2", "Code ICD-10 F32.2")
    offered("ketamine for depression", "Search phrase 1")
    offered("vs. Bipolar depression: Mood swings.", "Comparison: vs. Bipolar depression")
    offered("Esketamine (", "Treatment: Esketamine")
    offered("Is it safe? — Mostly.", "FAQ 1: question")
    offered("Is it safe? — Mostly.", "FAQ 1: answer")
    offered("A definition.", "Clinical definition")
    assert "ICD-10 F32.2" not in item_showing(html, "ICD-11 6A71")
    foot = html[html.index("Other parts of the page") :]
    assert "Comment on Reference @rodriguez2013" in foot
    labels = {part.label for part in comments.parts_of(submitted)}
    assert {"Title", "Page label", "Regulatory notice", "Clinic indication status"} <= labels


def test_a_physician_comments_on_a_code_and_an_faq_question(submitted, physician_user):
    from conditions.models import FAQ, ClinicalCode

    code = ClinicalCode.objects.create(condition=submitted, system="ICD-11", code="6A71")
    faq = FAQ.objects.create(condition=submitted, question="Is it safe?", answer="Mostly.")
    browser = AdminBrowser(physician_user)
    for anchor, body in [
        (comments.anchor(code, "code"), "Use 6A71.Y for treatment-resistant."),
        (comments.anchor(faq, "question"), "Ask it as patients do."),
    ]:
        part = comments.Part(anchor, "", "", "").dom_id
        response = step(
            browser, submitted, "comment", anchor=anchor, body=body, back="review", part=part
        )
        # Back to the review screen where the physician was: at the part's control.
        assert response["Location"] == page_url(submitted, f"review/#{part}")
    hostile = step(
        browser,
        submitted,
        "comment",
        anchor=anchor,
        body="Again.",
        back="review",
        part='"><script>',
    )
    assert hostile["Location"] == page_url(submitted, "review/")
    found = {(c.anchor_label, c.quote) for c in ReviewComment.objects.all()}
    assert found == {("Code ICD-11 6A71", "ICD-11 6A71"), ("FAQ 1: question", "Is it safe?")}


def test_editorial_statements_and_translations_offer_their_parts(db):
    from editorial.models import EditorialPage

    page = EditorialPage.objects.create(
        slug="editorial-policy",
        title="Editorial policy",
        summary="How we write.",
        body="Intro.\n\n## Sources\n\nPeer-reviewed.\n\n## Reviews\n\nBy physicians.",
    )
    parts = comments.parts_of(page)
    assert [part.label for part in parts] == [
        "Title",
        "Summary",
        "Section: Introduction",
        "Section: Sources",
        "Section: Reviews",
    ]
    assert parts[3].anchor == f"editorial.editorialpage:{page.pk}:body#sources"
    outline = dict(page.review_outline(page.build_document()))
    assert all(part.section in outline for part in parts)


def test_the_change_form_marks_each_open_comment_with_its_field_and_counts_it_on_the_tab(
    submitted, physician_user, editor, reference
):
    """The form places a part's open comments by the row's saved id, whatever its position;
    a resolved comment, or one on a part no longer on the page, is not placed or counted."""
    import re

    from conditions.models import FAQ, ClinicalCode

    submitted.references.add(reference)
    code = ClinicalCode.objects.create(condition=submitted, system="ICD-11", code="6A71")
    faq = FAQ.objects.create(condition=submitted, question="Is it safe?", answer="Mostly.")
    point = submitted.key_points.get(text="Effects fade within a week.")
    for anchor in [
        comments.anchor(code, "code"),
        comments.anchor(faq, "question"),
        comments.anchor(submitted, "title"),
        comments.anchor(reference, "citation"),
    ]:
        comments.add_comment(submitted, physician_user, anchor, "Look again.")
    done = comments.add_comment(submitted, physician_user, comments.anchor(point, "text"), "Ok?")
    comments.resolve(submitted, editor, done.pk)
    html = AdminBrowser(editor).get(page_url(submitted)).content.decode()
    placed = dict(re.findall(r'data-beside="([^"]+)" data-section="([^"]+)"', html))
    assert placed == {
        "id_codes-0-code": "summary",
        "id_faqs-0-question": "faqs",
        "id_title": "summary",
        "id_references": "references",
    }
    tabs = dict(re.findall(r'id="tab-(\w+)"[^>]*>[^<]*<span class="tab-comments">(\d+)<', html))
    assert tabs == {"summary": "2", "faqs": "1", "references": "1"}
    # Reply and Resolve are controls of forms of their own, which sit outside the page's form.
    assert f'form="resolve-form-{done.pk}"' not in html
    form_html = html[html.index('id="condition_form"') :]
    assert 'id="resolve-form-' not in form_html
    assert html.count('class="comment-resolve" id="resolve-form-') == 4
