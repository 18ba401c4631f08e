"""The review workflow in the admin: the panel, review screen, preview, timeline and queue."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conditions.models import FAQ
from reviews import clock, workflow
from reviews.models import Publication, ReviewEvent, SignOff
from tests.admin_forms import change_form_data
from tests.conftest import PASSWORD, add_key_point, edit


def url(condition, view=""):
    return f"/admin/conditions/condition/{condition.pk}/{view}"


def logged_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def panel(response):
    html = response.content.decode()
    return html[html.index('class="workflow-panel') : html.index("</section>")]


def buttons(response):
    return re.findall(r'<(?:button|a)[^>]*class="button[^"]*"[^>]*>([^<]+)<', panel(response))


def test_the_editor_sees_the_state_and_may_submit_but_not_sign_or_publish(
    client, editor, published
):
    edit(published, editor, summary="A changed summary.")
    response = logged_in(client, editor).get(url(published, "change/"))
    assert "Live, with unreviewed changes" in panel(response)
    assert "Yes: the current text differs from what a physician last signed off" in (
        panel(response)
    )
    assert "reviewed by Dr. Gregory House, MD" in panel(response)
    assert buttons(response) == ["Submit for review"]


def test_the_physician_sees_the_review_button_and_the_publisher_the_publish_button(
    client, editor, physician_user, publisher, published
):
    edit(published, editor, summary="A changed summary.")
    assert buttons(logged_in(client, physician_user).get(url(published, "change/"))) == [
        "Review and sign off"
    ]
    client.logout()
    response = logged_in(client, publisher).get(url(published, "change/"))
    assert buttons(response) == ["Publish", "Schedule take-down", "Unpublish"]
    assert re.search(r"<button[^>]*value=\"publish\"[^>]*disabled", panel(response))
    assert "The page has changed since Dr. Gregory House, MD signed it off" in panel(response)


def test_submitting_from_the_panel_records_the_step_and_says_so(client, editor, condition):
    response = logged_in(client, editor).post(
        url(condition, "workflow/submit/"), {"note": "Please check the FAQ."}, follow=True
    )
    assert "Submitted for review." in response.content.decode()
    assert workflow.state(condition) == workflow.State.IN_REVIEW
    event = ReviewEvent.objects.for_object(condition).get()
    assert (event.kind, event.actor, event.note) == ("submitted", editor, "Please check the FAQ.")


def test_an_editor_posting_publish_is_refused_with_the_reason_and_nothing_changes(
    client, editor, physician_user, condition
):
    workflow.sign_off(condition, physician_user, PASSWORD)
    response = logged_in(client, editor).post(url(condition, "workflow/publish/"), follow=True)
    assert "You do not have permission to publish pages." in response.content.decode()
    assert not Publication.objects.exists()


def test_the_publisher_publishes_a_signed_page_from_the_panel(
    client, physician_user, publisher, condition
):
    workflow.sign_off(condition, physician_user, PASSWORD)
    response = logged_in(client, publisher).post(url(condition, "workflow/publish/"), follow=True)
    assert "Published. The public page now shows this version." in response.content.decode()
    assert workflow.state(condition) == workflow.State.LIVE


def test_unpublishing_needs_a_reason(client, publisher, published):
    logged_in(client, publisher)
    response = client.post(url(published, "workflow/unpublish/"), {"reason": ""}, follow=True)
    assert "Give a reason for unpublishing." in response.content.decode()
    assert workflow.state(published) == workflow.State.LIVE
    client.post(url(published, "workflow/unpublish/"), {"reason": "Outdated dosing."})
    assert workflow.live_publication(published) is None


def test_workflow_steps_refuse_get(client, publisher, condition):
    response = logged_in(client, publisher).get(url(condition, "workflow/publish/"))
    assert response.status_code == 405


class TestReviewScreen:
    @pytest.fixture
    def changed(self, published, editor):
        """A live page whose summary, a key point and an FAQ changed since its sign-off."""
        add_key_point(published, "A new key point about relapse.")
        FAQ.objects.create(condition=published, question="Is it covered?", answer="Rarely.")
        edit(published, editor, summary="A page the tests changed after review.")
        workflow.submit_for_review(published, editor)
        return published

    def test_the_diff_marks_changed_words_and_added_parts(self, client, physician_user, changed):
        response = logged_in(client, physician_user).get(url(changed, "review/"))
        html = response.content.decode()
        assert "3 sections changed" in html
        assert (
            'A page <del class="diff">used by </del>the tests<ins class="diff"> changed after '
            "review</ins>." in html
        )
        assert re.search(r'<li class="added">.*?A new key point about relapse\.</ins></span>', html)
        assert re.search(r'<li class="added">.*?Is it covered\? — Rarely\.</ins></span>', html)
        assert response["Cache-Control"].startswith("max-age=0")

    def test_a_first_review_shows_everything_as_new(self, client, physician_user, condition):
        html = logged_in(client, physician_user).get(url(condition, "review/")).content.decode()
        assert "No physician has signed off this page before" in html
        added = '<li class="added"><span class="diff-text">'
        assert added + '<span class="visually-hidden">Added: ' in html

    def test_the_diff_escapes_what_the_editor_typed(self, client, physician_user, editor, changed):
        edit(changed, editor, summary="<script>alert(1)</script> & more")
        html = logged_in(client, physician_user).get(url(changed, "review/")).content.decode()
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.replace('<ins class="diff">', "")

    def test_signing_with_the_password_records_the_sign_off_and_note(
        self, client, physician_user, changed
    ):
        logged_in(client, physician_user)
        digest = workflow.current_document(changed)[1]
        response = client.post(
            url(changed, "review/"),
            {
                "decision": "approve",
                "password": PASSWORD,
                "note": "Checked.",
                "reviewed_digest": digest,
            },
        )
        assert response.status_code == 302
        signed = SignOff.objects.for_object(changed).latest_first().first()
        assert (signed.source_digest, signed.note, signed.meaning) == (
            digest,
            "Checked.",
            "Reviewed for clinical accuracy",
        )
        assert workflow.state(changed) == workflow.State.APPROVED

    def test_a_wrong_password_keeps_the_note_and_records_nothing(
        self, client, physician_user, changed
    ):
        logged_in(client, physician_user)
        digest = workflow.current_document(changed)[1]
        response = client.post(
            url(changed, "review/"),
            {
                "decision": "approve",
                "password": "guess",
                "note": "My note.",
                "reviewed_digest": digest,
            },
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "The password is not correct. The sign-off was not recorded." in html
        assert "My note.</textarea>" in html
        assert SignOff.objects.for_object(changed).count() == 1

    def test_a_change_saved_during_the_review_is_not_signed_unseen(
        self, client, physician_user, editor, changed
    ):
        logged_in(client, physician_user)
        seen = workflow.current_document(changed)[1]
        edit(changed, editor, summary="Changed while the physician was reading.")
        response = client.post(
            url(changed, "review/"),
            {"decision": "approve", "password": PASSWORD, "reviewed_digest": seen},
        )
        assert "The page changed while you were reviewing it." in response.content.decode()
        assert SignOff.objects.for_object(changed).count() == 1

    def test_requesting_changes_needs_a_note(self, client, physician_user, changed):
        logged_in(client, physician_user)
        response = client.post(url(changed, "review/"), {"decision": "request_changes"})
        assert "Say what needs to change" in response.content.decode()
        assert not ReviewEvent.objects.filter(kind="changes_requested").exists()
        client.post(url(changed, "review/"), {"decision": "request_changes", "note": "Cite it."})
        assert ReviewEvent.objects.filter(kind="changes_requested", note="Cite it.").exists()

    def test_an_editor_can_read_the_diff_but_has_no_decision_forms(self, client, editor, changed):
        html = logged_in(client, editor).get(url(changed, "review/")).content.decode()
        assert "Only a physician can review a page" in html
        assert 'value="approve"' not in html
        response = client.post(
            url(changed, "review/"), {"decision": "request_changes", "note": "Sneaky."}
        )
        assert "Only a physician can review a page" in response.content.decode()
        assert not ReviewEvent.objects.filter(kind="changes_requested").exists()


def test_the_preview_shows_the_draft_with_a_banner_and_is_never_cached_or_indexed(
    client, editor, published
):
    edit(published, editor, summary="Draft wording nobody has reviewed.")
    response = logged_in(client, editor).get(url(published, "preview/"))
    html = response.content.decode()
    assert "Draft wording nobody has reviewed." in html
    assert "Draft — not reviewed." in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Last reviewed by" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    public = client.get("/conditions/test-condition/").content.decode()
    assert "Draft wording nobody has reviewed." not in public


@pytest.mark.parametrize("view", ["preview/", "review/", "timeline/"])
def test_drafts_previews_and_diffs_are_never_shown_anonymously(client, condition, view):
    response = client.get(url(condition, view))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_timeline_lists_edits_and_review_steps_newest_first(
    client, editor, physician_user, publisher, condition
):
    workflow.submit_for_review(condition, editor)
    workflow.sign_off(condition, physician_user, PASSWORD, note="Fine.")
    workflow.publish(condition, publisher)
    workflow.unpublish(condition, publisher, "Superseded.")
    html = logged_in(client, editor).get(url(condition, "timeline/")).content.decode()
    steps = re.findall(r"<strong>([^<]+)</strong> by (\S+)", html)
    assert steps == [
        ("Unpublished", "pat"),
        ("Published", "pat"),
        ("Signed off", "dr.house"),
        ("Submitted for review", "edna"),
        ("Edited", "edna"),
    ]
    assert "“Superseded.”" in html


def test_comparing_two_versions_shows_what_a_reader_would_see_change(client, editor, condition):
    from reversion.models import Version

    edit(condition, editor, clinical_definition="A sharper definition.")
    old, new = Version.objects.get_for_object(condition).order_by("pk")
    response = logged_in(client, editor).get(
        url(condition, "compare/"), {"old": new.pk, "new": old.pk}
    )
    html = response.content.decode()
    assert "1 section changed" in html
    changed = '<li class="changed"><span class="diff-text">A<ins class="diff"> sharper</ins>'
    assert changed + " definition.</span></li>" in html
    assert "From the version saved by edna" in html


class TestReviewQueue:
    def test_lists_submissions_unreviewed_live_pages_and_due_reviews(
        self, client, editor, physician_user, published, settings
    ):
        from tests.conftest import make_condition

        waiting = make_condition(editor, slug="waiting", title="Waiting Page")
        workflow.submit_for_review(waiting, editor, note="New page.")
        edit(published, editor, summary="Changed after going live.")
        logged_in(client, physician_user)
        html = client.get("/admin/review-queue/").content.decode()
        assert "Awaiting review (1)" in html
        assert f'href="/admin/conditions/condition/{waiting.pk}/review/">Waiting Page' in html
        assert "Live, with unreviewed changes (1)" in html
        assert f'href="/admin/conditions/condition/{published.pk}/change/">Test Condition' in html
        assert "Review overdue (0)" in html
        soon = timezone.now() + timedelta(days=settings.REVIEW_INTERVAL_DAYS - 10)
        with clock.frozen_at(soon):
            html = client.get("/admin/review-queue/").content.decode()
        assert "Review due in the next 30 days (1)" in html
        with clock.frozen_at(soon + timedelta(days=11)):
            html = client.get("/admin/review-queue/").content.decode()
        assert "Review overdue (1)" in html

    def test_answered_submissions_leave_the_queue(self, client, editor, physician_user, condition):
        workflow.submit_for_review(condition, editor)
        workflow.request_changes(condition, physician_user, "Shorter summary.")
        html = logged_in(client, physician_user).get("/admin/review-queue/").content.decode()
        assert "Awaiting review (0)" in html

    def test_a_live_page_whose_changes_were_sent_back_stays_listed_as_unreviewed(
        self, client, editor, physician_user, published
    ):
        """The public still reads the old version and no one signed the new one: it is live
        with unreviewed changes, listed once, whether in review or sent back."""
        edit(published, editor, summary="Changed after going live.")
        workflow.submit_for_review(published, editor)
        logged_in(client, physician_user)
        in_review = client.get("/admin/review-queue/").content.decode()
        assert "Awaiting review (1)" in in_review
        assert "Live, with unreviewed changes (0)" in in_review

        workflow.request_changes(published, physician_user, "Cite the new trial.")
        sent_back = client.get("/admin/review-queue/").content.decode()
        assert "Awaiting review (0)" in sent_back
        assert "Live, with unreviewed changes (1)" in sent_back

    def test_needs_a_staff_login(self, client, db):
        assert client.get("/admin/review-queue/").status_code == 302


def test_submitting_several_pages_from_the_list_is_one_action(client, editor, condition):
    from tests.conftest import make_condition

    other = make_condition(editor, slug="other", title="Other")
    response = logged_in(client, editor).post(
        "/admin/conditions/condition/",
        {"action": "submit_for_review", "_selected_action": [condition.pk, other.pk]},
        follow=True,
    )
    assert "Other: submitted for review." in response.content.decode()
    assert workflow.state(condition) == workflow.state(other) == workflow.State.IN_REVIEW


def test_change_form_data_helper_round_trips_a_save(client, editor, condition):
    """Saving the change form unchanged keeps the page as it was (the helper the tests use)."""
    logged_in(client, editor)
    form = client.get(url(condition, "change/"))
    response = client.post(url(condition, "change/"), change_form_data(form))
    assert response.status_code == 302
    condition.refresh_from_db()
    assert condition.clinical_definition == "A definition."


@pytest.mark.parametrize("model", ["signoff", "publication", "reviewevent"])
def test_records_cannot_be_changed_or_deleted_from_the_admin_even_by_a_superuser(
    admin_client, published, model
):
    record = {
        "signoff": lambda: SignOff.objects.get(),
        "publication": lambda: Publication.objects.get(),
        "reviewevent": lambda: ReviewEvent.objects.first(),
    }[model]()
    base = f"/admin/reviews/{model}/"
    change = admin_client.get(f"{base}{record.pk}/change/")
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert admin_client.post(f"{base}{record.pk}/change/", {}).status_code == 403
    assert admin_client.post(f"{base}{record.pk}/delete/", {"post": "yes"}).status_code == 403
    listing = admin_client.get(base).content.decode()
    assert "delete_selected" not in listing
    bulk = admin_client.post(
        base, {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"}
    )
    assert bulk.status_code in {200, 302}
    assert type(record).objects.filter(pk=record.pk).exists()


def test_the_reviewer_sees_references_attached_but_never_cited(client, physician_user, condition):
    from tests.conftest import make_reference

    condition.references.add(make_reference("unused2020"))
    html = logged_in(client, physician_user).get(url(condition, "review/")).content.decode()
    assert re.search(r'<li class="warning">[^<]*unused2020', html)
