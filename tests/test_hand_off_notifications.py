"""Who is told at each hand-off, and where the links in the e-mails point.

Submission: the active physicians. Sign-off: the publishers ("ready to publish") and the
submitting editor. Changes requested: the submitting editor, with the note. A scheduled
publication that went live, was refused, or was cancelled by someone else: the publisher who
scheduled it. Every link is on SITE_URL, or in development on the address of the request that
caused it; never on any other host.
"""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail

from reviews import clock, comments, workflow
from tests.admin_http import page_url
from tests.conftest import PASSWORD, add_key_point, edit, make_user


@pytest.fixture
def people(editor, physician_user, publisher):
    for user, address in [
        (editor, "edna@example.org"),
        (physician_user, "house@example.org"),
        (publisher, "pat@example.org"),
    ]:
        user.email = address
        user.save()
    other = make_user("quinn", "Publishers", email="quinn@example.org")
    return editor, physician_user, publisher, other


def sent(subject_start):
    return [m for m in mail.outbox if m.subject.startswith(subject_start)]


def test_a_sign_off_tells_the_publishers_and_the_submitting_editor(
    condition, people, django_capture_on_commit_callbacks
):
    editor, physician_user, publisher, other = people
    workflow.submit_for_review(condition, editor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.sign_off(condition, physician_user, PASSWORD)
    [ready] = sent("Ready to publish")
    assert sorted(ready.to) == ["pat@example.org", "quinn@example.org"]
    assert "it is ready to publish" in ready.body
    [decision] = sent("Signed off")
    assert decision.to == ["edna@example.org"]


def test_a_cancellation_by_another_publisher_tells_the_one_who_scheduled(
    condition, people, django_capture_on_commit_callbacks
):
    editor, physician_user, publisher, other = people
    workflow.sign_off(condition, physician_user, PASSWORD)
    workflow.schedule_publish(condition, publisher, clock.now() + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.cancel_scheduled(condition, other, "Wrong day.")
    [message] = mail.outbox
    assert message.to == ["pat@example.org"]
    assert message.subject == "Scheduled publication cancelled: Test Condition"
    assert "quinn cancelled the publication" in message.body
    assert "Why: Wrong day." in message.body


LINK = re.compile(r"https?://[^\s”\"]+")


def play_every_hand_off(condition, people, capture):
    """Every step that sends mail, the scheduled ones run by the clock."""
    editor, physician_user, publisher, other = people
    point = add_key_point(condition, "Works within hours.")
    with capture(execute=True):
        workflow.submit_for_review(condition, editor, note="First draft.")
    comments.add_comment(condition, physician_user, f"conditions.keypoint:{point.pk}:text", "Cite.")
    with capture(execute=True):
        workflow.request_changes(condition, physician_user, "See the comment.")
    edit(condition, editor, summary="Fixed.")
    with capture(execute=True):
        workflow.submit_for_review(condition, editor)
    with capture(execute=True):
        workflow.sign_off(condition, physician_user, PASSWORD)
    workflow.schedule_publish(condition, publisher, clock.now() + timedelta(hours=1))
    with clock.frozen_at(clock.now() + timedelta(hours=2)), capture(execute=True):
        workflow.publish_due_scheduled()


def links_in_mail() -> list[str]:
    return [link for message in mail.outbox for link in LINK.findall(message.body)]


def test_every_link_in_every_e_mail_is_on_site_url(
    condition, people, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://library.example"
    play_every_hand_off(condition, people, django_capture_on_commit_callbacks)
    assert len(mail.outbox) >= 6
    links = links_in_mail()
    assert len(links) >= len(mail.outbox)
    assert {urlsplit(link).netloc for link in links} == {"library.example"}


def test_in_development_links_use_the_requests_address_and_no_other_host(
    client, condition, people, settings, django_capture_on_commit_callbacks
):
    """Without SITE_URL a step taken in a request links to that request's host; work done by
    the worker, with no request, writes relative links rather than guess a host."""
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["review.test"]
    editor = people[0]
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_url(condition, "workflow/submit/"), headers={"host": "review.test"})
    [message] = mail.outbox
    assert f"http://review.test/admin/conditions/condition/{condition.pk}/review/" in message.body
    mail.outbox.clear()
    play_every_hand_off(condition, people, django_capture_on_commit_callbacks)
    assert links_in_mail() == []
    assert "The page: /admin/conditions/condition/" in sent("Published as scheduled")[0].body
