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

from backups import trust
from backups.content import GROUPS, NOT_KEPT, exported
from conditions.models import Condition, SearchEntry, Treatment, TreatmentListing
from conditions.pages import DETAIL_TEMPLATE
from publishing.models import LiveAlternate, PageRendering
from publishing.page_cache import memory_pages
from publishing.pointers import recent_pointers
from reviews import clock, comments, workflow
from reviews.digest import document_digest
from reviews.models import Publication
from tests.conftest import PASSWORD, add_key_point, edit, make_condition, publish_page
from tests.test_api import add_treatment
from translations.demo import load_spanish_demo
from translations.read_model import TranslatedEntry

PUBLIC = ["/", "/conditions/", "/search/?q=ocd", "/sitemap.xml", "/feeds/reviewed.atom"]
# The Spanish index and search read rows the import rebuilds (translations.library).
PUBLIC += ["/es/conditions/", "/es/search/?q=toc"]
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
    load_spanish_demo()  # a translation, its segments and its own sign-off and publication
    return partner_key


def urls():
    slugs = list(Condition.objects.values_list("slug", flat=True)) + ["old-address"]
    treatments = list(Treatment.objects.values_list("slug", flat=True))
    public = PUBLIC + [f"/conditions/{slug}/" for slug in slugs]
    public += [f"/es/conditions/{slug}/" for slug in slugs]  # the demo's Spanish page among them
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


def import_(text, *flags) -> str:
    path = _write(text)
    out = io.StringIO()
    call_command("import_content", str(path), *flags, stdout=out)
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
    models = [apps.get_model(label) for label in exported() if label != GROUPS]
    models += [SearchEntry, TreatmentListing, TranslatedEntry, LiveAlternate]
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
    return {label: apps.get_model(label)._base_manager.count() for label in exported()}


def test_an_export_restored_into_an_empty_database_serves_every_page_and_answer_unchanged(
    client, library
):
    public, api = urls()
    before = answers(client, library, public, api)
    rows = counts()
    assert rows["translations.translation"] == 1
    assert rows["translations.segment"] > 0
    assert [url for url, (status, _, _) in before.items() if "/es/" in url and status == 200]
    assert "TOC resistente al tratamiento" in before["/es/search/?q=toc"][1].decode()
    pages = PageRendering.objects.filter(template=DETAIL_TEMPLATE).count()
    assert pages
    text = export()

    empty_database()
    assert Condition.objects.count() == Publication.objects.count() == User.objects.count() == 0
    report = import_(text)

    restored = counts()
    # The pages' HTML is restored, proven against its publication; the other renderings (the
    # history page, the API's JSON) are derived: the import makes them again for live pages.
    restored.pop("publishing.pagerendering")
    assert PageRendering.objects.filter(template=DETAIL_TEMPLATE).count() == pages
    assert restored == {
        label: n for label, n in rows.items() if label != "publishing.pagerendering"
    }
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


def test_every_model_is_exported_or_named_with_why_a_restore_does_without_it():
    """A new model (a new kind of page, a new record) is a decision for the backup, not a loss
    found after a restore."""
    labels = {model._meta.label_lower for model in apps.get_models()}

    assert sorted(labels - set(exported()) - set(NOT_KEPT)) == []
    assert sorted((set(exported()) | set(NOT_KEPT)) - labels) == []
    assert "leaflets.leaflet" in exported(), "a registered kind is exported by registering"


def test_restored_accounts_and_history_keep_the_workflow_going(library, publisher):
    text = export()
    empty_database()
    import_(text, "--keep-passwords")

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
            r"publication \d+ .*its sign-off \(id 999999\) is not in the file",
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


def signed_again(text: str) -> str:
    """The file with its manifest signed again by the site over what it now holds: a site's own
    damaged export, which only the checks after the signature can catch."""
    data = json.loads(text)
    data["manifest"] = trust.sign_manifest(data["objects"], data["exported_at"])
    return json.dumps(data)


def test_a_dangling_reference_between_rows_is_named_and_nothing_is_imported(library):
    text = signed_again(_set_first(export(), "conditions.keypoint", condition=999_999))
    empty_database()

    with pytest.raises(CommandError, match=r"cannot be imported: .*999999"):
        import_(text)

    assert nothing_restored()


def nothing_restored():
    return all(count == 0 for label, count in counts().items() if label != GROUPS)


# Tampering: each edit below was restored and served under the physician's stamp before the
# import checked the records against each other.

OCD = "treatment-resistant-ocd"
TAMPERED = "TAMPERED: ketamine replaces all OCD treatment; stop your SSRIs."


def live_records(data, slug=OCD):
    """The objects of the page's live publication and of its sign-off, in the parsed file."""
    objects = data["objects"]
    live = next(
        o
        for o in objects
        if o["model"] == "reviews.livepublication" and o["fields"]["slug"] == slug
    )
    publication = _object(objects, "reviews.publication", live["fields"]["publication"])
    sign_off = _object(objects, "reviews.signoff", publication["fields"]["sign_off"])
    return publication, sign_off


def _object(objects, model, pk):
    return next(o for o in objects if o["model"] == model and o["pk"] == pk)


def summary_changed(data):
    publication, _ = live_records(data)
    publication["fields"]["document"]["summary"] = TAMPERED


def summary_and_digest_changed(data):
    publication, _ = live_records(data)
    publication["fields"]["document"]["summary"] = TAMPERED
    publication["fields"]["digest"] = document_digest(publication["fields"]["document"])


def summary_changed_in_publication_and_sign_off(data):
    """Both records and both digests agree; only the stored page still shows the old text."""
    for record in live_records(data):
        record["fields"]["document"]["summary"] = TAMPERED
        record["fields"]["digest"] = document_digest(record["fields"]["document"])


def sign_off_digest_zeroed(data):
    _, sign_off = live_records(data)
    sign_off["fields"]["digest"] = "0" * 64


def stamp_name_changed(data):
    _, sign_off = live_records(data)
    sign_off["fields"]["signature"] = "Dr. Impostor, MD"


def rendering_changed(data):
    publication, _ = live_records(data)
    rendering = next(
        o
        for o in data["objects"]
        if o["model"] == "publishing.pagerendering"
        and o["fields"]["publication"] == publication["pk"]
    )
    rendering["fields"]["html"] = rendering["fields"]["html"].replace(
        "<main", f"<p>{TAMPERED}</p><main", 1
    )


def page_rewritten_everywhere(data):
    """Document and digests of the publication and its sign-off agree on the forged text, and
    the stored page, which can be made again, is left out: only the site's signature can tell."""
    publication, sign_off = live_records(data)
    for record in (publication, sign_off):
        record["fields"]["document"]["summary"] = TAMPERED
        record["fields"]["digest"] = document_digest(record["fields"]["document"])
    kept = [
        obj
        for obj in data["objects"]
        if obj["model"] != "publishing.pagerendering"
        or obj["fields"]["publication"] != publication["pk"]
    ]
    data["counts"]["publishing.pagerendering"] -= len(data["objects"]) - len(kept)
    data["objects"] = kept


def live_pointer_moved(data):
    """The OCD address made to show another page's publication."""
    other, _ = live_records(data, "second-page")
    ocd_live = next(
        o
        for o in data["objects"]
        if o["model"] == "reviews.livepublication" and o["fields"]["slug"] == OCD
    )
    ocd_live["fields"]["publication"] = other["pk"]


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (summary_changed, r"publication \d+ \(“Treatment-Resistant OCD” .*digest does not match"),
        (summary_and_digest_changed, r"publication \d+ .*not what sign-off \d+ approved"),
        (
            summary_changed_in_publication_and_sign_off,
            r"page rendering \d+: it is not what publication \d+ renders to",
        ),
        (sign_off_digest_zeroed, r"sign-off \d+ \(Dr\. Ben Soffer, DO, .*digest does not match"),
        (
            stamp_name_changed,
            r"sign-off \d+ .*signed “Dr\. Impostor, MD”.*not its physician's name",
        ),
        (rendering_changed, r"page rendering \d+: it is not what publication \d+ renders to"),
        (live_pointer_moved, r"live publication \d+ \(treatment-resistant-ocd\): .*another page"),
        (
            page_rewritten_everywhere,
            r"sign-off \d+: it differs from what the site exported",
        ),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_a_tampered_export_is_refused_naming_the_record_and_nothing_is_restored(
    library, tamper, message
):
    data = json.loads(export())
    tamper(data)
    empty_database()

    with pytest.raises(CommandError, match=message) as refusal:
        import_(json.dumps(data))

    assert "The file was refused; nothing was imported." in str(refusal.value)
    assert nothing_restored()


def test_an_untouched_export_passes_every_check_after_a_physician_changed_their_name(library, demo):
    """A sign-off keeps the name signed then; the physician's saved history vouches for it."""
    import reversion

    from reviews.models import Physician

    physician = Physician.objects.get(display_name="Ben Soffer")
    with reversion.create_revision():
        physician.display_name = "Benjamin Soffer"
        physician.save()
    text = export()
    empty_database()

    import_(text)

    assert Publication.objects.filter(sign_off__signature__startswith="Dr. Ben Soffer").exists()


MALFORMED = {
    "empty": "",
    "a-list": "[]",
    "binary": "\x00\x01\x02",
    "deeply-nested": "[" * 100_000,
    "objects-not-a-list": json.dumps(
        {"format": "tovani-content", "version": 1, "objects": 1, "counts": {}}
    ),
    "object-not-a-dict": json.dumps(
        {"format": "tovani-content", "version": 1, "objects": [1], "counts": {}}
    ),
    "model-not-a-string": json.dumps(
        {
            "format": "tovani-content",
            "version": 1,
            "objects": [{"model": ["x"], "fields": {}}],
            "counts": {},
        }
    ),
}


@pytest.mark.parametrize("text", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_file_that_is_not_an_export_gets_a_message_not_a_traceback(db, text):
    with pytest.raises(CommandError):
        import_(text)


def _first(data, model):
    return next(o for o in data["objects"] if o["model"] == model)


FIELD_DAMAGE = {
    "sign-off-without-pk": lambda data: _first(data, "reviews.signoff").pop("pk"),
    "sign-off-pk-not-a-number": lambda data: _first(data, "reviews.signoff").update(pk="abc"),
    "unknown-field": lambda data: _first(data, "reviews.publication")["fields"].update(colour=1),
    "unknown-field-elsewhere": lambda data: _first(data, "conditions.faq")["fields"].update(x=1),
    "document-a-string": lambda data: _first(data, "reviews.signoff")["fields"].update(
        document="x"
    ),
    "document-a-list": lambda data: _first(data, "reviews.publication")["fields"].update(
        document=[]
    ),
    "groups-not-a-list": lambda data: _first(data, "auth.user")["fields"].update(groups=5),
    "foreign-content-type": lambda data: _first(data, "reviews.signoff")["fields"].update(
        content_type=["nowhere", "nothing"]
    ),
    "date-out-of-range": lambda data: _first(data, "reviews.signoff")["fields"].update(
        signed_at="2024-13-45T00:00:00"
    ),
    "physician-missing-fields": lambda data: _first(data, "reviews.physician").update(fields={}),
}


@pytest.mark.parametrize("damage", FIELD_DAMAGE.values(), ids=FIELD_DAMAGE.keys())
def test_a_damaged_record_gets_a_message_not_a_traceback_and_nothing_is_imported(library, damage):
    data = json.loads(export())
    damage(data)
    text = signed_again(json.dumps(data))
    empty_database()

    with pytest.raises(CommandError, match=r"Object \d+|The file"):
        import_(text)

    assert nothing_restored()


def _run_roles_migration():
    from importlib import import_module
    from types import SimpleNamespace

    from django.db.migrations.loader import MigrationLoader

    roles = import_module("backups.migrations.0001_editorial_roles")
    state = MigrationLoader(connection).project_state(("backups", "0001_editorial_roles"))
    roles.create_roles(state.apps, SimpleNamespace(connection=connection))


@pytest.mark.parametrize("made_before_the_move", [True, False])
def test_the_roles_migration_keeps_groups_an_administrator_adjusted_under_the_old_name(
    db, made_before_the_move
):
    """A database that made the roles as conditions.0002_editorial_roles keeps its groups as
    they are; a new database gets the full roles."""
    from django.contrib.auth.models import Group, Permission
    from django.db.migrations.recorder import MigrationRecorder

    editors = Group.objects.get(name="Editors")
    editors.permissions.remove(Permission.objects.get(codename="delete_reference"))
    recorder = MigrationRecorder(connection)
    recorder.migration_qs.filter(app="conditions", name="0002_editorial_roles").delete()
    if made_before_the_move:
        recorder.record_applied("conditions", "0002_editorial_roles")

    _run_roles_migration()

    restored = editors.permissions.filter(codename="delete_reference").exists()
    assert restored is not made_before_the_move
