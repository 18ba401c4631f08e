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
