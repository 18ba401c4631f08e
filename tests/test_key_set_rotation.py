"""After a signing-key rotation, partners verify new pages at once, through the shipped nginx.

The key set is kept by caches for KEY_SET_MAX_AGE (a minute), not the pages' hour, and is
revalidated with its ETag. rotate_signing_key refreshes the copy nginx keeps (KEY_SET_REFRESH_URLS,
honoured from nginx's own machine only), so a page published a second after the rotation
verifies through nginx. Real nginx with deploy/nginx.conf, in front of the live server.
"""

import http.client
import json
import time
from io import StringIO

import pytest
from django.core.management import call_command

from reviews.models import SigningKey
from tests.conftest import publish_page
from tests.nginx import nginx_in_front_of
from tests.test_publication_signatures import verify_as_a_partner

KEY_SET = "/.well-known/tovani-keys.json"


class Partner:
    """A partner's plain HTTP client, at its own address on this machine."""

    def __init__(self, port, key="", source="127.0.0.3"):
        self.port, self.key, self.source = port, key, source

    def get(self, path, **headers):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(self.source, 0)
        )
        try:
            connection.request("GET", path, headers={"Host": "localhost", **headers})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def json(self, path):
        status, _, body = self.get(path, **({"X-API-Key": self.key} if self.key else {}))
        assert status == 200, body[:500]
        return json.loads(body)


@pytest.fixture
def key_file(tmp_path, settings):
    """The site signs with a key file, as after `rotate_signing_key`."""
    path = tmp_path / "signing-key.pem"
    settings.SIGNING_KEY = ""
    settings.SIGNING_KEY_FILE = str(path)
    settings.SITE_URL = "http://localhost"
    call_command("rotate_signing_key", key_file=str(path), stdout=StringIO())
    return path


def rotate(key_file) -> str:
    out = StringIO()
    call_command("rotate_signing_key", key_file=str(key_file), stdout=out)
    return out.getvalue()


def test_the_key_set_is_kept_a_minute_and_revalidated_by_its_etag(client, db, settings):
    """Cache-Control names KEY_SET_MAX_AGE for browsers and shared caches; an unchanged set
    answers If-None-Match with a 304."""
    settings.KEY_SET_MAX_AGE = 60
    response = client.get(KEY_SET)
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=60", "s-maxage=60"}
    again = client.get(KEY_SET, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_partner_verifies_a_page_published_a_second_after_rotation_through_nginx(
    live_server, key_file, editor, physician_user, publisher, partner_key, settings
):
    """Key set cached by nginx, key rotated, a page published one second later: the partner
    fetches the page and the key set through nginx and the signature verifies."""
    publish_page(editor, physician_user, publisher, "before-rotation")
    with nginx_in_front_of(live_server.url) as port:
        settings.KEY_SET_REFRESH_URLS = [f"http://127.0.0.1:{port}{KEY_SET}"]
        partner = Partner(port, partner_key)
        partner.json(KEY_SET)
        assert partner.get(KEY_SET)[1]["X-Cache-Status"] == "HIT"

        output = rotate(key_file)
        time.sleep(1)
        publish_page(editor, physician_user, publisher, "after-rotation")

        detail = partner.json("/api/v1/conditions/after-rotation/")
        key_set = partner.json(KEY_SET)
        new_key = SigningKey.objects.order_by("-created_at", "-pk").first()
        assert detail["verification"]["key_id"] == new_key.kid
        assert verify_as_a_partner(detail["verification"], key_set)["slug"] == "after-rotation"
        older = partner.json("/api/v1/conditions/before-rotation/")
        assert verify_as_a_partner(older["verification"], key_set)["slug"] == "before-rotation"
    assert f"Key set cache http://127.0.0.1:{port}{KEY_SET}: refreshed (HTTP 200)." in output


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_the_refresh_nginx_would_serve_the_old_key_set(live_server, key_file, settings):
    """The refresh is what makes the new key visible: with no refresh address, nginx keeps
    its copy, without the new key, for the minute the app allows."""
    settings.KEY_SET_REFRESH_URLS = []
    with nginx_in_front_of(live_server.url) as port:
        partner = Partner(port)
        before = partner.json(KEY_SET)

        rotate(key_file)

        status, headers, body = partner.get(KEY_SET)
        assert headers["X-Cache-Status"] == "HIT"
        assert json.loads(body) == before
        assert len(before["keys"]) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refresh_asked_from_another_machine_is_ignored(live_server, key_file, settings):
    """Only nginx's own machine may make it skip its copy: anyone else gets the cached set."""
    with nginx_in_front_of(live_server.url) as port:
        partner = Partner(port, source="127.0.0.2")
        partner.json(KEY_SET)

        status, headers, _ = partner.get(KEY_SET, **{"X-Tovani-Refresh": "1"})

        assert (status, headers["X-Cache-Status"]) == (200, "HIT")
        local = Partner(port, source="127.0.0.1")
        assert local.get(KEY_SET, **{"X-Tovani-Refresh": "1"})[1]["X-Cache-Status"] == "BYPASS"
