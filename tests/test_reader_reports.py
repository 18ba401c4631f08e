"""Reader reports: "Report a problem with this page" reaches the editors' triage queue.

A short form, no login and no personal data required; a honeypot and a per-address hourly limit
refuse spam with a clear message; what a reader types is stored and shown as text, never HTML;
editors triage reports in the admin (new, in progress, closed, with a reply note), the admin
home shows how many are open, and a report attached to the page's next review is shown to the
physician on the review screen.
"""

import pytest
from django.urls import reverse

from feedback.models import Report
from reviews.models import Publication
from tests.pagetext import visible_text

GOOD = {"kind": "error", "message": "The second key point cites the wrong trial.", "contact": ""}


@pytest.fixture
def live(published):
    return Publication.objects.live().get()


def report_url(publication):
    return reverse("feedback:report", args=[publication.pk])


def send(client, publication, address="127.0.0.1", **fields):
    return client.post(report_url(publication), {**GOOD, **fields}, REMOTE_ADDR=address)


def test_every_condition_page_links_to_its_report_form(client, live):
    """The page's foot offers "Report a problem with this page" for its live publication."""
    html = client.get(f"/conditions/{live.slug}/").content.decode()
    assert f'href="{report_url(live)}">Report a problem with this page</a>' in html


def test_a_report_without_login_reaches_the_editors_queue(client, live):
    """A visitor sends a report; it is saved as new, for this page, and they are thanked."""
    response = send(client, live)
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.status, report.kind, report.publication_id) == ("new", "error", live.pk)
    assert report.page_title == live.title
    assert report.contact == ""
    thanks = visible_text(client.get(response["Location"]).content.decode())
    assert "Your report about “Test Condition” has reached our editors." in thanks


def test_the_form_carries_a_csrf_token_and_is_never_cached(client, live):
    """The form is a page of its own: CSRF-protected and not kept by caches."""
    response = client.get(report_url(live))
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_post_without_the_csrf_token_is_refused(live):
    """CSRF protection is on for the form."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(report_url(live), GOOD)
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_filled_honeypot_is_refused_with_a_clear_message(client, live):
    """The hidden field people leave empty: filled, the report is refused and not saved."""
    response = send(client, live, website="http://spam.example")
    assert response.status_code == 400
    assert "Your report could not be accepted." in response.content.decode()
    assert not Report.objects.exists()


def test_a_message_full_of_links_is_refused(client, live):
    """More than two web links reads as spam: refused, saying why."""
    message = "Buy now http://a.example http://b.example http://c.example"
    response = send(client, live, message=message)
    assert response.status_code == 400
    assert "at most 2 web links" in response.content.decode()
    assert not Report.objects.exists()


def test_one_address_may_send_only_so_many_reports_an_hour(client, live, settings):
    """Past FEEDBACK_REPORTS_PER_HOUR, reports from the same address get 429; others still pass."""
    settings.FEEDBACK_REPORTS_PER_HOUR = 2
    assert send(client, live).status_code == 302
    assert send(client, live).status_code == 302
    refused = send(client, live)
    assert refused.status_code == 429
    assert "Please try again later." in refused.content.decode()
    assert Report.objects.count() == 2
    assert send(client, live, address="203.0.113.9").status_code == 302


def test_missing_fields_are_named_and_nothing_is_saved(client, live):
    """No kind and an empty message: both fields say what is wrong."""
    response = client.post(report_url(live), {"message": "", "contact": "not-an-address"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Choose what kind of problem it is." in text
    assert "Tell us what you noticed: the message cannot be empty." in text
    assert "Enter a valid email address." in text
    assert not Report.objects.exists()


def test_what_a_reader_types_is_never_rendered_as_html(client, live, admin_client):
    """Markup in a report shows as text in the form, the admin list and the change page."""
    attack = '<script>alert(1)</script><img src=x onerror="alert(2)"> is wrong here'
    send(client, live, message=attack)
    report = Report.objects.get()
    assert report.message == attack
    for url in [
        reverse("admin:feedback_report_changelist"),
        reverse("admin:feedback_report_change", args=[report.pk]),
    ]:
        html = admin_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;" in html or url.endswith("/feedback/report/")
    refused = client.post(report_url(live), {"kind": "other", "message": attack + " <b>x"})
    assert "<b>x" not in refused.content.decode()


def test_an_editor_triages_a_report_with_a_reply_note(client, live, editor):
    """Editors move a report to in progress or closed and note what was done; the reader's
    words cannot be edited."""
    send(client, live)
    report = Report.objects.get()
    client.force_login(editor)
    url = reverse("admin:feedback_report_change", args=[report.pk])
    response = client.post(
        url,
        {
            "status": "closed",
            "reply_note": "Fixed the citation; sent for review.",
            "message": "rewritten by the editor",
        },
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "closed"
    assert report.reply_note == "Fixed the citation; sent for review."
    assert report.handled_by == editor
    assert report.message == GOOD["message"]


def test_the_admin_home_shows_how_many_reports_are_open(client, live, editor):
    """New and in-progress reports count as open; closed ones do not."""
    for status in ["new", "in_progress", "closed"]:
        Report.objects.create(
            publication=live, page_title=live.title, kind="other", message="x" * 20, status=status
        )
    client.force_login(editor)
    text = visible_text(client.get(reverse("admin:index")).content.decode())
    assert "2 open reports from readers" in text


def test_a_report_attached_to_the_next_review_is_shown_to_the_physician(
    client, live, published, physician_user
):
    """Attached, open: it appears on the review screen; closed, it no longer does."""
    send(client, live, message="The dose in the FAQ answer looks too high.")
    report = Report.objects.get()
    report.attached_to_review = True
    report.save()
    client.force_login(physician_user)
    review_url = reverse("admin:conditions_condition_review", args=[published.pk])
    text = visible_text(client.get(review_url).content.decode())
    assert "Reader reports attached to this review (1)" in text
    assert "The dose in the FAQ answer looks too high." in text
    report.status = "closed"
    report.save()
    text = visible_text(client.get(review_url).content.decode())
    assert "The dose in the FAQ answer looks too high." not in text


def test_a_report_about_an_unknown_publication_is_a_404(client, db):
    """Only a published page can be reported on."""
    assert client.get(reverse("feedback:report", args=[999999])).status_code == 404


def test_physicians_may_read_but_not_triage_reports(client, live, physician_user):
    """Triage is the editors' job."""
    send(client, live)
    client.force_login(physician_user)
    url = reverse("admin:feedback_report_change", args=[Report.objects.get().pk])
    assert client.get(url).status_code == 200
    client.post(url, {"status": "closed", "reply_note": "no"})
    assert Report.objects.get().status == "new"
