"""Faults: what a visitor sees when the database is gone."""

import json

from tests.test_settings import PRODUCTION, manage

FETCH = """
import json
from django.test import Client
response = Client().get("/conditions/treatment-resistant-ocd/", secure=True)
print(json.dumps({"status": response.status_code, "retry": response.get("Retry-After"),
                  "body": response.content.decode()}))
"""


def test_an_unreachable_database_gives_a_plain_503_page_not_a_traceback():
    result = manage(
        "shell",
        "-c",
        FETCH,
        env={
            **PRODUCTION,
            "ALLOWED_HOSTS": "testserver",
            # Nothing listens on port 9: the connection is refused.
            "DATABASE_URL": "postgres://postgres@127.0.0.1:9/tovani",
        },
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["retry"] == "30"
    assert "The library is temporarily unavailable" in answer["body"]
    assert "Traceback" not in answer["body"]
    assert "127.0.0.1" not in answer["body"]


API_FETCH = """
import json
from django.test import Client
response = Client().get("/api/v1/conditions/ocd/", secure=True,
                        headers={"x-api-key": "tvk_0123456789ab" + "x" * 43})
print(json.dumps({"status": response.status_code, "retry": response.get("Retry-After"),
                  "type": response["Content-Type"], "body": response.content.decode()}))
"""


def test_an_unreachable_database_gives_the_api_a_json_503():
    """The partner API answers in JSON even when the database is gone: detail and code."""
    result = manage(
        "shell",
        "-c",
        API_FETCH,
        env={
            **PRODUCTION,
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:9/tovani",
        },
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["retry"] == "30"
    assert answer["type"] == "application/json"
    assert json.loads(answer["body"])["code"] == "unavailable"
