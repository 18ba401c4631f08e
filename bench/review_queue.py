"""make bench-queue: the review queue and the pages list with 1,000 pages, 40 of them in review.

Fills a database (BENCH_QUEUE_DATABASE_URL, default tovani_review_bench on the local PostgreSQL,
created if missing) through the real workflow, then asks the admin for the queue, the pages
list and a change page as a physician, and prints the queries and the time each answer took
(the median of BENCH_QUEUE_RUNS requests).
"""

import base64
import os
import secrets
import statistics
import sys
import time
from urllib.parse import urlsplit

DATABASE_URL = os.environ.get(
    "BENCH_QUEUE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tovani_review_bench"
)
PAGES = int(os.environ.get("BENCH_PAGES", "1000"))
IN_REVIEW = 40
RUNS = int(os.environ.get("BENCH_QUEUE_RUNS", "20"))
PASSWORD = secrets.token_urlsafe(24)


def main():
    _database()
    os.environ.update(
        DJANGO_SETTINGS_MODULE="tovani.settings",
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
        DATABASE_URL=DATABASE_URL,
        ALLOWED_HOSTS="testserver",
        SITE_URL="http://testserver",
        SIGNING_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        SECURE_SSL_REDIRECT="0",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings

    call_command("migrate", verbosity=0)
    # Pages render at publish; plain static names spare the bench a collectstatic.
    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain}):
        physician = _library()
        for path in ["/admin/review-queue/", "/admin/conditions/condition/", _change_page()]:
            queries, milliseconds = _measure(physician, path)
            print(f"{path:42} {queries:3} queries  {milliseconds:7.1f} ms (median of {RUNS})")


def _database():
    import psycopg

    url = urlsplit(DATABASE_URL)
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        name = url.path.lstrip("/")
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def _library():
    """PAGES pages: IN_REVIEW submitted (half of them live pages edited since), the rest live."""
    from django.contrib.auth.models import Group, User
    from django.test import override_settings

    from reviews.models import Physician

    def person(name, group):
        user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        return user

    started = time.monotonic()
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        editor, doctor = person("bench-editor", "Editors"), person("bench-doctor", "Physicians")
        publisher = person("bench-publisher", "Publishers")
        Physician.objects.create(user=doctor, display_name="Bench Doctor", credentials="MD")
        for number in range(PAGES):
            _page(number, editor, doctor, publisher)
            if number % 200 == 199:
                print(f"  {number + 1} pages ({time.monotonic() - started:.0f} s)", flush=True)
    print(f"  {PAGES} pages, {IN_REVIEW} in review, in {time.monotonic() - started:.0f} s")
    return doctor


def _page(number, editor, doctor, publisher):
    """One page through the workflow, in one transaction (the bench's commits cost less)."""
    import reversion
    from django.db import transaction

    from conditions.models import Condition, KeyPoint
    from reviews import workflow

    with transaction.atomic():
        with reversion.create_revision():
            reversion.set_user(editor)
            page = Condition.objects.create(
                slug=f"bench-page-{number:04d}",
                title=f"Bench page {number}",
                summary="A generated page.",
                clinical_definition=f"The *definition* of page {number}.",
            )
            KeyPoint.objects.create(condition=page, text="A key point.", sort_order=1)
        if number < IN_REVIEW // 2:
            workflow.submit_for_review(page, editor, note=f"Draft {number}.")
            return
        workflow.sign_off(page, doctor, PASSWORD)
        workflow.publish(page, publisher)
        if number < IN_REVIEW:
            with reversion.create_revision():
                reversion.set_user(editor)
                page.summary = "Edited since it went live."
                page.save()
            workflow.submit_for_review(page, editor, note=f"Update {number}.")


def _change_page():
    from conditions.models import Condition

    return f"/admin/conditions/condition/{Condition.objects.order_by('pk').first().pk}/change/"


def _measure(user, path):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    client.get(path)  # warm: content types, templates
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            sys.exit(f"{path} answered {response.status_code}")
    return len(queries), statistics.median(timings)


if __name__ == "__main__":
    main()
