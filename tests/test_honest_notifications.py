"""What the admin says after a hand-off: who was e-mailed, and who could not be (no address on
file), matching the e-mail actually sent. The demo users have addresses, so in development the
console shows every hand-off's e-mail."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from conditions.demo_content import DEMO_LOGINS
from reviews import workflow
from reviews.models import Physician
from tests.admin_http import AdminBrowser, review, step
from tests.conftest import PASSWORD, add_key_point, make_user


@pytest.fixture
def page(condition):
    add_key_point(condition, "Ketamine works within hours.", order=1)
    return condition


def with_address(user, email):
    user.email = email
    user.save()
    return user


def test_submitting_names_the_physicians_e_mailed_and_those_with_no_address(
    page, editor, physician_user, django_capture_on_commit_callbacks
):
    """The physician with an address is named as e-mailed; the one without is named as not told."""
    with_address(physician_user, "house@example.org")
    silent = make_user("dr.quiet", "Physicians")
    Physician.objects.create(user=silent, display_name="Quinn Quiet", credentials="MD")
    browser = AdminBrowser(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = step(browser, page, "submit", note="Please review.")
    said = browser.messages(response)
    assert "E-mailed the physicians: Dr. Gregory House, MD." in said
    assert "Not told (no e-mail address on file): Dr. Quinn Quiet, MD." in said
    assert [message.to for message in mail.outbox] == [["house@example.org"]]


def test_a_sign_off_with_no_publisher_address_says_the_publishers_were_not_told(
    page, editor, physician_user, publisher, django_capture_on_commit_callbacks
):
    """Nobody is claimed told who was not: the publisher has no address, the editor has one."""
    with_address(editor, "edna@example.org")
    workflow.submit_for_review(page, editor)
    browser = AdminBrowser(physician_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = review(
            browser, page, "sign_off", password=PASSWORD, reviewed_digest=digest_of(page)
        )
    said = browser.messages(response)
    assert "Approved. No publishers could be e-mailed." in said
    assert "Not told (no e-mail address on file): pat." in said
    assert "E-mailed the editor: edna." in said
    assert [message.to for message in mail.outbox] == [["edna@example.org"]]


def test_requesting_changes_of_an_editor_with_no_address_says_so(page, editor, physician_user):
    """The request is made, and the physician learns the editor must be told some other way."""
    workflow.submit_for_review(page, editor)
    browser = AdminBrowser(physician_user)
    response = review(browser, page, "request_changes", note="Cite the trial.")
    said = browser.messages(response)
    assert "No editor could be e-mailed. Not told (no e-mail address on file): edna." in said


def test_every_demo_user_has_an_e_mail_address(demo):
    """So every hand-off in the demo really sends its e-mail."""
    users = get_user_model().objects.filter(username__in=DEMO_LOGINS)
    assert sorted(user.username for user in users if user.email) == sorted(DEMO_LOGINS)


def digest_of(page):
    return workflow.current_document(page)[1]
