"""Backups: an export restored into an empty database serves every page and answer unchanged."""

import io
import json
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.db import connection

from conditions.models import Condition, SearchEntry, Treatment, TreatmentListing
from conditions.public import memory_pages, recent_pointers
from reviews import clock, comments, workflow
from reviews.models import Publication
from tests.conftest import PASSWORD, add_key_point, edit, make_condition, publish_page
from tests.test_api import add_treatment
from tovani.backup import EXPORTED, GROUPS

PUBLIC = ["/", "/conditions/", "/search/?q=ocd", "/sitemap.xml", "/feeds/reviewed.atom"]
API = [
    "/api/v1/conditions/",
    "/api/v1/conditions/?page_size=1",
    "/api/v1/treatments/",
    "/api/v1/withdrawn/",
]


@pytest.fixture
def library(demo, editor, physician_user, publisher, partner_key):
    """The demo, a page republished after a revision, one moved, one withdrawn (and scheduled to
    go live again), and a draft with a review comment and its reply."""
    second = publish_page(editor, physician_user, publisher, "second-page", summary="First.")
    add_treatment(second, "exposure-therapy", "first_line", "Exposure helps.")
    add_key_point(second, "A key point.")
    edit(second, editor, summary="Revised after review.")
    workflow.sign_off(second, physician_user, PASSWORD)
    workflow.publish(second, publisher)
    moved = publish_page(editor, physician_user, publisher, "old-address")
    edit(moved, editor, slug="new-address")
    workflow.sign_off(moved, physician_user, PASSWORD)
    workflow.publish(moved, publisher)
    withdrawn = publish_page(editor, physician_user, publisher, "withdrawn-page")
    workflow.unpublish(withdrawn, publisher, "No longer offered.")
    draft = make_condition(editor, slug="draft-page", title="Draft Page")
    summary = f"conditions.condition:{draft.pk}:summary"
    comment = comments.add_comment(draft, physician_user, summary, "Shorter, please.")
    comments.reply(draft, editor, comment.pk, "Done.")
    workflow.schedule_publish(withdrawn, publisher, clock.now() + timedelta(days=1))
    return partner_key


def urls():
    slugs = list(Condition.objects.values_list("slug", flat=True)) + ["old-address"]
    treatments = list(Treatment.objects.values_list("slug", flat=True))
    public = PUBLIC + [f"/conditions/{slug}/" for slug in slugs]
    public += [f"/treatments/{slug}/" for slug in treatments]
    api = API + [f"/api/v1/conditions/{slug}/" for slug in slugs]
    api += [f"/api/v1/treatments/{slug}/" for slug in treatments]
    return public, api


def answers(client, key, public, api):
    forget_served_pages()
    seen = {url: client.get(url) for url in public}
    seen |= {url: client.get(url, headers={"x-api-key": key}) for url in api}
    return {
        url: (response.status_code, response.content, response.get("ETag"))
        for url, response in seen.items()
    }


def forget_served_pages():
    cache.clear()
    memory_pages.clear()
    recent_pointers.clear()


def export() -> str:
    out = io.StringIO()
    call_command("export_content", "-", stdout=out)
    return out.getvalue()


def import_(text) -> str:
    path = _write(text)
    out = io.StringIO()
    call_command("import_content", str(path), stdout=out)
    return out.getvalue()


_files = []


def _write(text):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
        f.write(text)
    _files.append(Path(f.name))
    return Path(f.name)


@pytest.fixture(autouse=True)
def _remove_files():
    yield
    while _files:
        _files.pop().unlink(missing_ok=True)


def empty_database():
    """What a freshly migrated database holds: the editorial groups and nothing else."""
    models = [apps.get_model(label) for label in EXPORTED if label != GROUPS]
    models += [SearchEntry, TreatmentListing]
    tables = {model._meta.db_table for model in models}
    for model in models:
        tables |= {field.remote_field.through._meta.db_table for field in model._meta.many_to_many}
    # Deferred foreign key checks still pending in the test's transaction would stop TRUNCATE.
    connection.check_constraints()
    statements = connection.ops.sql_flush(
        no_style(), sorted(tables), reset_sequences=True, allow_cascade=True
    )
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def counts():
    return {label: apps.get_model(label)._base_manager.count() for label in EXPORTED}


def test_an_export_restored_into_an_empty_database_serves_every_page_and_answer_unchanged(
    client, library
):
    public, api = urls()
    before = answers(client, library, public, api)
    rows = counts()
    text = export()

    empty_database()
    assert Condition.objects.count() == Publication.objects.count() == User.objects.count() == 0
    report = import_(text)

    assert counts() == rows
    after = answers(client, library, public, api)
    assert after.keys() == before.keys()
    for url, (status, body, etag) in before.items():
        assert after[url][0] == status, url
        assert after[url][1] == body, url
        assert after[url][2] == etag, url
    assert [status for status, _, _ in before.values()].count(200) > len(before) // 2
    assert "5 conditions, " in report
    assert "1 partner, " in report
    assert "3 condition page(s) are live" in report


def test_restored_accounts_and_history_keep_the_workflow_going(library, publisher):
    text = export()
    empty_database()
    import_(text)

    draft = Condition.objects.get(slug="draft-page")
    physician_user = User.objects.get(username="dr.house")
    assert physician_user.groups.filter(name="Physicians").exists()
    # The password hash came back, and so did the revision that says who edited the page last.
    workflow.sign_off(draft, physician_user, PASSWORD)
    publication = workflow.publish(draft, User.objects.get(username="pat"))

    assert publication.pk == Publication.objects.exclude(pk=publication.pk).latest("pk").pk + 1
    assert workflow.last_editor(draft).username == "edna"


def test_the_export_names_content_types_and_groups_by_name_not_by_id(library):
    objects = json.loads(export())["objects"]

    publication = next(obj for obj in objects if obj["model"] == "reviews.publication")
    assert publication["fields"]["content_type"] == ["conditions", "condition"]
    group = next(obj for obj in objects if obj["model"] == "auth.group")
    assert "pk" not in group
    user = next(obj for obj in objects if obj["model"] == "auth.user")
    assert user["fields"]["password"].startswith("md5$")


def test_an_import_into_a_database_with_content_is_refused_and_changes_nothing(library):
    text = export()
    rows = counts()

    with pytest.raises(CommandError, match="already holds .*5 conditions.*empty database"):
        import_(text)

    assert counts() == rows


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda text: text[: len(text) // 2], "not valid JSON"),
        (lambda text: text.replace('"tovani-content"', '"other"', 1), "not a content export"),
        (lambda text: _drop_first(text, "reviews.signoff"), "declares .* reviews.signoff"),
        (
            lambda text: _set_first(text, "reviews.publication", published_at="yesterday"),
            r"Object \d+ cannot be imported: .*yesterday",
        ),
        (
            lambda text: _set_first(text, "reviews.publication", sign_off=999_999),
            "cannot be imported: .*999999",
        ),
    ],
    ids=["truncated", "not-an-export", "missing-rows", "bad-value", "dangling-reference"],
)
def test_a_malformed_file_names_what_is_wrong_and_imports_nothing(library, damage, message):
    text = damage(export())
    empty_database()

    with pytest.raises(CommandError, match=message):
        import_(text)

    assert all(count == 0 for label, count in counts().items() if label != GROUPS)


def _drop_first(text, model):
    data = json.loads(text)
    data["objects"].remove(next(obj for obj in data["objects"] if obj["model"] == model))
    return json.dumps(data)


def _set_first(text, model, **fields):
    data = json.loads(text)
    next(obj for obj in data["objects"] if obj["model"] == model)["fields"].update(fields)
    return json.dumps(data)
