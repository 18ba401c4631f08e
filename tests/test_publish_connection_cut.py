"""A database connection lost while a publish writes the public read model answers the
documented 503, with nothing published, never a message quoting the driver's error.

The page's read model (search row, listings, stored renderings) is written inside the publish's
transaction. A failure preparing the page is told to the publisher as a refusal, but a lost
connection is not the page's fault: it is the site's 503 with Retry-After, and the next try
publishes.
"""

import psycopg
import pytest
from django.db import OperationalError, connection
from django.db.models.signals import pre_save
from django.test import Client

from conditions.read_model import SearchEntry
from reviews import workflow
from reviews.models import Physician, Publication
from tests.conftest import PASSWORD, make_condition, make_user


def signed_page():
    editor = make_user("edna", "Editors")
    doctor = make_user("dr.house", "Physicians")
    Physician.objects.create(user=doctor, display_name="Gregory House", credentials="MD")
    page = make_condition(editor)
    workflow.sign_off(page, doctor, PASSWORD)
    return page, make_user("pat", "Publishers")


def publish_over_http(publisher, page, *, when_writing, cut):
    client = Client(raise_request_exception=False)
    client.force_login(publisher)

    def receiver(sender, **kwargs):
        cut()

    pre_save.connect(receiver, sender=when_writing)
    try:
        response = client.post(f"/admin/conditions/condition/{page.pk}/workflow/publish/")
    finally:
        pre_save.disconnect(receiver, sender=when_writing)
    return client, response


def assert_the_documented_503(response):
    text = response.content.decode()
    assert response.status_code == 503, text[:2000]
    assert response["Retry-After"] == "30"
    assert "The library is temporarily unavailable" in text
    assert "OperationalError" not in text
    assert "could not be published" not in text


def drop_the_line():
    raise OperationalError("server closed the connection unexpectedly")


def test_a_connection_lost_while_the_read_model_is_written_answers_503(db):
    """The driver's lost-connection error raised in the read model's write is the 503 page."""
    page, publisher = signed_page()

    _, response = publish_over_http(publisher, page, when_writing=SearchEntry, cut=drop_the_line)

    assert_the_documented_503(response)
    assert not Publication.objects.exists()


def test_a_page_that_fails_to_render_is_still_refused_with_a_message(db, monkeypatch):
    """Any other failure preparing the page stays the publisher's refusal, nothing published."""
    page, publisher = signed_page()

    def broken_template():
        raise ValueError("a template is broken")

    client, response = publish_over_http(
        publisher, page, when_writing=SearchEntry, cut=broken_template
    )

    assert response.status_code == 302
    messages = client.get(response["Location"]).content.decode()
    assert "preparing it for the public site failed" in messages
    assert not Publication.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="terminates a PostgreSQL backend; CI runs this file against PostgreSQL",
)
def test_the_server_ending_the_connection_mid_read_model_answers_503_and_the_retry_publishes():
    """pg_terminate_backend as the search row is written: 503, nothing live; then it publishes."""
    page, publisher = signed_page()

    def terminate():
        pid = connection.connection.info.backend_pid
        settings = connection.settings_dict
        with psycopg.connect(
            host=settings["HOST"],
            port=settings["PORT"] or 5432,
            user=settings["USER"],
            dbname="postgres",
            autocommit=True,
        ) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])

    client, response = publish_over_http(publisher, page, when_writing=SearchEntry, cut=terminate)

    assert_the_documented_503(response)
    connection.close()
    assert not Publication.objects.exists()
    retried = client.post(f"/admin/conditions/condition/{page.pk}/workflow/publish/")
    assert retried.status_code == 302
    assert Publication.objects.count() == 1
