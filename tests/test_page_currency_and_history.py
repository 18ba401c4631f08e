"""Who reviewed a page, how current it is, and what changed between its versions.

Under the title: "Medically reviewed by Dr. …, DO · Last reviewed … · Next review due …", the
name linking the reviewer's profile; at the foot, first published, last updated, last reviewed,
next review due and, when the page states it, "evidence reviewed through <month year>" (a field
the physician signs with the page). The JSON-LD and the API carry the same dates. Each page has
a public history at /conditions/<slug>/history/: every publication, newest first, with its
reviewer and the change summary the editor wrote and the physician approved, flagged when the
change is clinically significant.
"""

import json
import re
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from reviews import clock, workflow
from reviews.models import SignOff
from tests.conftest import PASSWORD, edit
from tests.pagetext import visible_text

DEMO_URL = "/conditions/treatment-resistant-ocd/"
BYLINE = (
    "Medically reviewed by Dr. Ben Soffer, DO · Last reviewed June 2, 2026 · "
    "Next review due June 2, 2027"
)


def json_ld(html):
    return json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )


def republish(condition, editor, physician_user, publisher, summary, significant=False, **fields):
    edit(condition, editor, **fields)
    workflow.submit_for_review(
        condition, editor, change_summary=summary, clinically_significant=significant
    )
    workflow.sign_off(condition, physician_user, PASSWORD)
    return workflow.publish(condition, publisher)


def test_the_byline_under_the_title_names_the_reviewer_and_both_dates(client, demo):
    """Between the title and the summary: reviewer (linking the profile), last review and the
    next review due, one review interval later."""
    html = client.get(DEMO_URL).content.decode()
    text = visible_text(html)
    assert BYLINE in text
    assert text.index("Treatment-Resistant OCD") < text.index(BYLINE) < text.index("OCD that hasn")
    assert 'Medically reviewed by <a href="/reviewers/ben-soffer/">Dr. Ben Soffer, DO</a>' in html


def test_the_next_review_due_follows_the_review_interval(client, demo, settings):
    """REVIEW_INTERVAL_DAYS decides the due date the byline states."""
    from django.core.cache import cache

    settings.REVIEW_INTERVAL_DAYS = 180
    settings.PAGE_CACHE_VERSION = "interval-180"
    cache.clear()
    assert "Next review due November 29, 2026" in visible_text(
        client.get(DEMO_URL).content.decode()
    )


def test_the_full_stamp_stays_at_the_foot_with_the_page_facts(client, demo):
    """The stamp at the foot stays, followed by first published, updated, reviewed and due."""
    text = visible_text(client.get(DEMO_URL).content.decode())
    foot = text[text.index("Last reviewed by Dr. Ben Soffer, DO on June 2, 2026.") :]
    published = f"{timezone.localdate():%B} {timezone.localdate().day}, {timezone.localdate().year}"
    assert f"First published: {published}" in foot
    assert f"Last updated: {published}" in foot
    assert "Last reviewed: June 2, 2026" in foot
    assert "Next review due: June 2, 2027" in foot
    assert "Evidence reviewed through" not in foot
    assert "Page history: what changed and when" in foot


def test_evidence_reviewed_through_is_signed_with_the_page_and_shown(
    client, published, editor, physician_user, publisher
):
    """Setting the month is a change the physician must sign; once published, it shows."""
    edit(published, editor, evidence_reviewed_through=date(2026, 5, 1))
    assert workflow.state(published) == workflow.State.LIVE_WITH_UNREVIEWED_CHANGES
    workflow.sign_off(published, physician_user, PASSWORD)
    workflow.publish(published, publisher)
    text = visible_text(client.get(published.get_absolute_url()).content.decode())
    assert "Evidence reviewed through: May 2026" in text
    assert SignOff.objects.latest_first().first().document["evidence_reviewed_through"] == "2026-05"


def test_the_json_ld_dates_the_page_and_links_the_reviewer(client, demo):
    """datePublished and dateModified come from the publications, lastReviewed from the sign-off,
    and reviewedBy is the Person whose profile the page links."""
    data = json_ld(client.get(DEMO_URL).content.decode())
    today = timezone.localdate().isoformat()
    assert data["datePublished"].startswith(today[:4])
    assert datetime.fromisoformat(data["dateModified"]) >= datetime.fromisoformat(
        data["datePublished"]
    )
    assert data["lastReviewed"] == "2026-06-02"
    assert data["reviewedBy"]["url"] == "http://testserver/reviewers/ben-soffer/"


def test_republishing_keeps_first_published_and_moves_last_updated(
    client, published, editor, physician_user, publisher
):
    """A later publication keeps the page's first date and updates the last one."""
    first = published.get_absolute_url()
    first_data = json_ld(client.get(first).content.decode())
    with clock.frozen_at(timezone.now() + timezone.timedelta(days=40)):
        republish(
            published,
            editor,
            physician_user,
            publisher,
            "Clarified the definition.",
            clinical_definition="A clearer definition.",
        )
        data = json_ld(client.get(first).content.decode())
    assert data["datePublished"] == first_data["datePublished"]
    assert data["dateModified"] > first_data["dateModified"]


def test_the_history_of_the_demo_page_lists_its_june_2_review(client, demo):
    """One publication, reviewed by Dr. Ben Soffer on June 2, 2026: the first publication."""
    text = visible_text(
        client.get(reverse("conditions:history", args=["treatment-resistant-ocd"])).content.decode()
    )
    assert "Page history: Treatment-Resistant OCD" in text
    assert "First published." in text
    assert "Reviewed by Dr. Ben Soffer, DO on June 2, 2026" in text


def test_a_new_publication_adds_a_row_with_its_approved_change_summary(
    client, published, editor, physician_user, publisher
):
    """The editor's summary, approved with the sign-off, heads the history, flagged."""
    republish(
        published,
        editor,
        physician_user,
        publisher,
        "Added the 2025 trial of ketamine augmentation.",
        significant=True,
        clinical_definition="A definition with new evidence.",
    )
    html = client.get(reverse("conditions:history", args=[published.slug])).content.decode()
    text = visible_text(html)
    assert text.count("Reviewed by Dr. Gregory House, MD") == 2
    newest = text.index("Added the 2025 trial of ketamine augmentation.")
    assert newest < text.index("First published.")
    assert "Clinically significant change" in text[:newest]


def test_the_physician_can_amend_the_summary_when_signing(
    published, editor, physician_user, publisher
):
    """The summary is part of what the physician signs: theirs replaces the editor's."""
    edit(published, editor, clinical_definition="Changed.")
    workflow.submit_for_review(published, editor, change_summary="Typo fixes.")
    signed = workflow.sign_off(
        published,
        physician_user,
        PASSWORD,
        change_summary="Rewrote the definition.",
        clinically_significant=True,
    )
    assert (signed.change_summary, signed.clinically_significant) == (
        "Rewrote the definition.",
        True,
    )


def test_the_sign_off_takes_the_summary_submitted_with_that_exact_content(
    published, editor, physician_user
):
    """A summary submitted for an earlier draft is not signed for a later one."""
    edit(published, editor, clinical_definition="First change.")
    workflow.submit_for_review(published, editor, change_summary="First change.")
    edit(published, editor, clinical_definition="Second change.")
    signed = workflow.sign_off(published, physician_user, PASSWORD)
    assert signed.change_summary == ""


def test_the_review_screen_offers_the_submitted_summary_for_approval(
    client, published, editor, physician_user
):
    """The physician sees the editor's summary prefilled in the sign-off form."""
    edit(published, editor, clinical_definition="Changed.")
    workflow.submit_for_review(published, editor, change_summary="Shortened the definition.")
    client.force_login(physician_user)
    html = client.get(reverse("admin:conditions_condition_review", args=[published.pk])).content
    assert b"Shortened the definition.</textarea>" in html


def test_the_api_review_block_carries_the_dates(api, demo):
    """first_published, last_updated, next_review_due and the reviewer's profile."""
    review = api.get(f"/api/v1/conditions/{demo.condition.slug}/").json()["review"]
    assert review["next_review_due"] == "2027-06-02"
    assert review["reviewer_url"] == "http://testserver/reviewers/ben-soffer/"
    assert review["first_published"] == review["last_updated"]
    assert review["evidence_reviewed_through"] is None
    assert review["change_summary"] == "First published."


def test_the_api_offers_the_history(api, published, editor, physician_user, publisher):
    """/api/v1/conditions/<slug>/history/: every publication, newest first."""
    republish(published, editor, physician_user, publisher, "Updated.", clinical_definition="New.")
    body = api.get(f"/api/v1/conditions/{published.slug}/history/").json()
    assert body["count"] == 2
    assert [entry["change_summary"] for entry in body["results"]] == ["Updated.", ""]
    assert body["results"][0]["last_reviewed"]["physician"]["signature"] == (
        "Dr. Gregory House, MD"
    )
