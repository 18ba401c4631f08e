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


def _page(number, editor, doctor, publisher, rank=None):
    """One page through the workflow, in one transaction (the bench's commits cost less); rank
    (number by default) below IN_REVIEW puts it in review. Returns the page."""
    rank = number if rank is None else rank
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
        if rank < IN_REVIEW // 2:
            workflow.submit_for_review(page, editor, note=f"Draft {number}.")
            return page
        workflow.sign_off(page, doctor, PASSWORD)
        workflow.publish(page, publisher)
        if rank < IN_REVIEW:
            with reversion.create_revision():
                reversion.set_user(editor)
                page.summary = "Edited since it went live."
                page.save()
            workflow.submit_for_review(page, editor, note=f"Update {number}.")
    return page


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


def compare(sizes):
    """The queue, the pages list and a change page in the make-bench libraries of these sizes
    (tovani_public_bench_<size>, filled by make bench BENCH_PAGES=<size>), each with the same
    IN_REVIEW pages put through the workflow inside a transaction that is then rolled back, so
    the library is left as it was. Prints queries and median times side by side, and whether
    each screen's queries stayed the same and its time within twice the smallest's."""
    from django.db import connections, transaction

    results = {}
    for size in sizes:
        url = DATABASE_URL_OF(size)
        connections.close_all()
        connections["default"].settings_dict.update(_database_settings(url))
        with override_plain_static():
            try:
                with transaction.atomic():
                    doctor, page = _in_review(size)
                    paths = ["/admin/review-queue/", "/admin/conditions/condition/", page]
                    results[size] = [(path, *_measure(doctor, path)) for path in paths]
                    raise _RollBack
            except _RollBack:
                pass
    small, large = sizes[0], sizes[-1]
    print(f"| screen | queries at {small:,} | at {large:,} | ms at {small:,} | at {large:,} | |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    constant = True
    for (path, q1, t1), (_, q2, t2) in zip(results[small], results[large], strict=True):
        ok = q1 == q2 and t2 <= 2 * t1
        constant &= ok
        name = path if "/change/" not in path else "a page's change form"
        print(f"| {name} | {q1} | {q2} | {t1:.1f} | {t2:.1f} | {'constant' if ok else 'GROWS'} |")
    print("Every screen constant." if constant else "A screen grows with the library.")
    return constant


class _RollBack(Exception):
    pass


def DATABASE_URL_OF(size):  # noqa: N802 - reads as the constant it replaces
    return f"postgres://postgres@127.0.0.1:5432/tovani_public_bench_{size}".replace(
        "tovani_public_bench_1000/", "tovani_public_bench/"
    )


def _database_settings(url):
    import dj_database_url

    parsed = dj_database_url.parse(url)
    return {key: parsed[key] for key in ("NAME", "HOST", "PORT", "USER", "PASSWORD")}


def override_plain_static():
    from django.conf import settings
    from django.test import override_settings

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    return override_settings(STORAGES={**settings.STORAGES, "staticfiles": plain})


def _in_review(size):
    """IN_REVIEW pages in review beside the library (half of them live pages edited since);
    returns the physician and the change page of the first."""
    from django.contrib.auth.models import Group, User
    from django.test import override_settings

    from reviews.models import Physician

    def person(name, group):
        user = User.objects.create_user(name, password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=group))
        return user

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        editor, doctor = person("queue-editor", "Editors"), person("queue-doctor", "Physicians")
        publisher = person("queue-publisher", "Publishers")
        Physician.objects.create(user=doctor, display_name="Queue Doctor", credentials="MD")
        first = None
        for number in range(IN_REVIEW):
            page = _page(100_000 + number, editor, doctor, publisher, rank=number)
            first = first or page
    return doctor, f"/admin/conditions/condition/{first.pk}/change/"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--sizes"]:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="tovani.settings",
            SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
            DATABASE_URL=DATABASE_URL_OF(int(sys.argv[2])),
            ALLOWED_HOSTS="testserver",
            SITE_URL="http://testserver",
            SIGNING_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
            SECURE_SSL_REDIRECT="0",
        )
        import django

        django.setup()
        sys.exit(0 if compare([int(size) for size in sys.argv[2:]]) else 1)
    main()
