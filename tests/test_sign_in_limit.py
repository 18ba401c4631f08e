"""Sign-in attempts are limited per client address through the one throttle, whatever the
usernames tried; django-axes still locks each username at an address on its own."""

import pytest

from tests.redis_server import point_at_a_dead_redis

PROXY = "127.0.0.1"
WRONG = "not the password"  # noqa: S105 - a wrong password on purpose


def attempt(client, username, address, password=WRONG):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.fixture
def limited(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_ADDRESS_LIMIT = 3
    settings.LOGIN_ADDRESS_WINDOW_MINUTES = 15


@pytest.mark.django_db
def test_one_address_trying_many_usernames_is_refused_past_the_limit(client, limited):
    statuses = [attempt(client, f"user{n}", "203.0.113.5").status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = attempt(client, "user9", "203.0.113.5")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 15 * 60
    assert "Too many sign-ins from your address" in refused.content.decode()


@pytest.mark.django_db
def test_each_address_behind_the_proxy_counts_apart(client, limited):
    for _ in range(3):
        attempt(client, "someone", "203.0.113.5")
    assert attempt(client, "someone", "203.0.113.5").status_code == 429
    assert attempt(client, "someone", "203.0.113.6").status_code == 200


@pytest.mark.django_db
def test_a_right_password_within_the_limit_signs_in_and_showing_the_form_is_not_counted(
    client, limited, editor
):
    from tests.conftest import PASSWORD

    for _ in range(10):
        assert client.get("/admin/login/", REMOTE_ADDR=PROXY).status_code == 200
    attempt(client, "nobody", "203.0.113.7")
    signed_in = attempt(client, editor.username, "203.0.113.7", PASSWORD)
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/admin/"


@pytest.mark.django_db
def test_with_redis_down_signing_in_still_works_and_is_counted_in_the_process(
    client, limited, settings, tmp_path, editor
):
    from tests.conftest import PASSWORD

    point_at_a_dead_redis(settings, tmp_path)
    assert attempt(client, editor.username, "203.0.113.8", PASSWORD).status_code == 302
    client.logout()
    assert [attempt(client, "x", "203.0.113.8").status_code for _ in range(3)] == [200, 200, 429]
