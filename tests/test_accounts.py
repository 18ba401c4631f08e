"""Accounts: login throttling, password rules, session expiry and the admin's address."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.conftest import PASSWORD
from tests.test_settings import PRODUCTION, manage

LOGIN = "/admin/login/"
WITH_AXES = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]


@pytest.fixture
def throttled(settings):
    settings.AUTHENTICATION_BACKENDS = WITH_AXES
    settings.AXES_FAILURE_LIMIT = 3


def sign_in(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


def test_repeated_failures_lock_the_username_even_with_the_right_password(
    client, editor, throttled
):
    for _ in range(2):
        assert sign_in(client, editor.username, "wrong").status_code == 200
    assert sign_in(client, editor.username, "wrong").status_code == 429
    locked = sign_in(client, editor.username, PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "locked for 15 minutes" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_lock_other_users(client, editor, publisher, throttled):
    for _ in range(3):
        sign_in(client, editor.username, "wrong")
    assert sign_in(client, publisher.username, PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(client, editor, throttled):
    for _ in range(2):
        sign_in(client, editor.username, "wrong")
    assert sign_in(client, editor.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(2):
        sign_in(client, editor.username, "wrong")
    assert sign_in(client, editor.username, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1!", "too short"),
        ("password123", "too common"),
        ("83920174650", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(password, reason, editor):
    with pytest.raises(ValidationError, match=reason):
        validate_password(password, user=editor)


def test_admin_sessions_end_with_the_browser_and_after_eight_hours(client, editor):
    response = sign_in(client, editor.username, PASSWORD)
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == ""
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert client.session.get_expiry_age() == 8 * 60 * 60


def test_the_admin_can_live_at_another_address():
    result = manage(
        "shell",
        "-c",
        "from django.urls import reverse; print(reverse('admin:index'), reverse('review_queue'))",
        env={**PRODUCTION, "ADMIN_PATH": "backstage-7f3a/"},
    )
    assert result.stdout.split()[-2:] == ["/backstage-7f3a/", "/backstage-7f3a/review-queue/"]


def sign_off_in_admin(client, condition, password):
    from reviews import workflow

    return client.post(
        f"/admin/conditions/condition/{condition.pk}/review/",
        {
            "decision": "approve",
            "password": password,
            "note": "",
            "reviewed_digest": workflow.current_document(condition)[1],
        },
    )


def test_wrong_passwords_at_sign_off_count_toward_the_sign_in_lockout(
    client, physician_user, condition, throttled
):
    """The password re-entry is no way around the login limit: after the limit of wrong
    passwords at sign-off, signing off and signing in are both locked, even with the right one."""
    from reviews.models import SignOff

    client.force_login(physician_user)
    first = sign_off_in_admin(client, condition, "guess").content.decode()
    assert "The password is not correct. The sign-off was not recorded." in first
    sign_off_in_admin(client, condition, "guess")
    third = sign_off_in_admin(client, condition, "guess")
    assert third.status_code == 429
    assert "locked for 15 minutes" in third.content.decode()

    right = sign_off_in_admin(client, condition, PASSWORD).content.decode()
    assert "Too many wrong passwords" in right
    assert "locked for 15 minutes" in right
    assert not SignOff.objects.exists()
    client.logout()
    assert sign_in(client, physician_user.username, PASSWORD).status_code == 429


def test_a_sign_in_lockout_also_stops_signing_off(client, physician_user, condition, throttled):
    from reviews.models import SignOff

    for _ in range(3):
        sign_in(client, physician_user.username, "wrong")
    client.force_login(physician_user)
    answer = sign_off_in_admin(client, condition, PASSWORD).content.decode()
    assert "Too many wrong passwords" in answer
    assert not SignOff.objects.exists()
