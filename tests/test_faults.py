"""Faults: what a visitor or partner sees when the database is gone, or goes mid-request.

A lost, refused or terminated connection answers 503 with Retry-After (JSON in the API's error
problem shape on /api/), never a traceback or a 500; any other database error stays a 500.
"""

import json

import psycopg
import pytest
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connection
from django.db.models.signals import pre_save
from django.test import Client, RequestFactory

from reviews import workflow
from reviews.models import Publication
from tests.conftest import PASSWORD, make_condition, make_user
from tests.test_settings import PRODUCTION, manage
from tovani.unavailable import database_unavailable, server_error

FETCH = """
import json
from django.test import Client
key = "tvk_0123456789ab" + "A" * 43  # shaped like a key, so it is looked up
response = Client().get({path!r}, secure=True, headers={{"x-api-key": key}})
print(json.dumps({{"status": response.status_code, "retry": response.get("Retry-After"),
                  "type": response["Content-Type"], "body": response.content.decode()}}))
"""


def fetch_without_database(path):
    result = manage(
        "shell",
        "-c",
        FETCH.format(path=path),
        env={
            **PRODUCTION,
            "ALLOWED_HOSTS": "testserver",
            # Nothing listens on port 9: the connection is refused.
            "DATABASE_URL": "postgres://postgres@127.0.0.1:9/tovani",
        },
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_an_unreachable_database_gives_a_plain_503_page_not_a_traceback():
    answer = fetch_without_database("/conditions/treatment-resistant-ocd/")
    assert answer["status"] == 503
    assert answer["retry"] == "30"
    assert "The library is temporarily unavailable" in answer["body"]
    assert "Traceback" not in answer["body"]
    assert "127.0.0.1" not in answer["body"]


def test_the_api_answers_a_lost_database_as_a_problem():
    answer = fetch_without_database("/api/v1/conditions/")
    assert answer["status"] == 503
    assert answer["retry"] == "30"
    assert answer["type"] == "application/problem+json"
    assert json.loads(answer["body"]) == {
        "type": f"{PRODUCTION['SITE_URL']}/api/problems/service_unavailable/",
        "title": "Temporarily unavailable",
        "status": 503,
        "detail": "The library is temporarily unavailable. Try again shortly.",
        "instance": "/api/v1/conditions/",
        "code": "service_unavailable",
    }


def _caused_by(django_error, cause):
    django_error.__cause__ = cause
    return django_error


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (OperationalError("connection refused"), True),
        (InterfaceError("connection already closed"), True),
        (_caused_by(OperationalError("lost"), psycopg.errors.ConnectionFailure()), True),
        (_caused_by(OperationalError("terminated"), psycopg.errors.AdminShutdown()), True),
        (_caused_by(OperationalError("starting up"), psycopg.errors.CannotConnectNow()), True),
        (_caused_by(OperationalError("deadlock"), psycopg.errors.DeadlockDetected()), False),
        (_caused_by(IntegrityError("duplicate"), psycopg.errors.UniqueViolation()), False),
        (DatabaseError("other"), False),
    ],
    ids=[
        "refused",
        "closed",
        "connection-failure",
        "terminated",
        "starting-up",
        "deadlock",
        "integrity",
        "other",
    ],
)
def test_only_connection_failures_count_as_the_database_being_unavailable(error, unavailable):
    assert database_unavailable(error) is unavailable


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/conditions/x/", "text/html"), ("/api/v1/", "application/problem+json")],
)
def test_a_connection_lost_outside_a_view_is_still_a_503(path, content_type):
    """handler500 sees the exception (a middleware saving the session, a late render)."""
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(RequestFactory().get(path))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith(content_type)


def test_another_error_in_the_api_is_a_500_problem(db):
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(RequestFactory().get("/api/v1/conditions/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert (body["status"], body["code"]) == (500, "server_error")
    assert body["type"].endswith("/api/problems/server_error/")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="cuts a PostgreSQL backend's connection; CI runs this file against PostgreSQL",
)
def test_a_connection_cut_mid_publish_answers_503_and_publishes_nothing():
    """The publisher's connection is terminated by the server as the publication is written."""
    editor = make_user("edna", "Editors")
    doctor = make_user("dr.house", "Physicians")
    from reviews.models import Physician

    Physician.objects.create(user=doctor, display_name="Gregory House", credentials="MD")
    publisher = make_user("pat", "Publishers")
    page = make_condition(editor)
    workflow.sign_off(page, doctor, PASSWORD)

    def cut_the_connection(sender, **kwargs):
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

    client = Client(raise_request_exception=False)
    client.force_login(publisher)
    pre_save.connect(cut_the_connection, sender=Publication)
    try:
        response = client.post(f"/admin/conditions/condition/{page.pk}/workflow/publish/")
    finally:
        pre_save.disconnect(cut_the_connection, sender=Publication)

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "The library is temporarily unavailable" in response.content.decode()
    connection.close()
    assert not Publication.objects.exists()
    # The next request connects again: publishing works.
    retried = client.post(f"/admin/conditions/condition/{page.pk}/workflow/publish/")
    assert retried.status_code == 302
    assert Publication.objects.count() == 1
