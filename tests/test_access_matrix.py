"""Who may open which admin screen and take which workflow step: one matrix, every admin URL.

The expectations below are written from the roles' job descriptions, not read back from the
code: Editors draft, Physicians review and sign, Publishers publish, and nobody changes a record.
"""

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from reversion.models import Version

from conditions.models import Treatment
from editorial.models import EditorialPage
from feedback.models import Report
from partners.accounts import create_partner
from references.models import ReferenceImport
from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import Physician, Publication, ReviewEvent, SignOff
from tests.conftest import PASSWORD, make_condition, make_reference, make_user
from tests.task_worker import DATABASE_TASKS
from tovani.tasks import send_email
from webhooks.models import Delivery, Endpoint

ROLES = ["anonymous", "editor", "physician", "inactive_physician", "publisher", "superuser"]
# A page's saved PubMed search is edited with the page.
CONTENT = {"condition", "treatment", "reference", "editorialpage", "savedsearch"}
# Reader reports: readers send them; editors triage them; nobody adds one in the admin.
REPORTS = {"report"}
RECORDS = {"physician", "signoff", "publication", "reviewevent"}
# What the evidence watch found and did: written by the watch and its steps only.
RECORDS |= {"finding", "editortask", "watchrun"}
LOGINS = {"accessattempt", "accesslog", "accessfailurelog"}
# Accounts and partner API keys are the site administrator's business only.
ACCOUNTS = {"user", "group", "partner", "endpoint"}
# Background task results and webhook deliveries: the administrator reads them (and resends a
# delivery); the worker alone writes them.
TASK_RESULTS = {"dbtaskresult", "delivery"}
# Imports of large reference files: whoever may add references starts and reads them; the
# background task alone writes them, and nobody deletes one.
IMPORTS = {"referenceimport"}
# Translations: the Translators role writes them (not among these roles); every editorial role
# reads them, and physicians review them through the workflow.
TRANSLATIONS = {"translation"}

# The admin's own pages that anybody signed in to the staff site may open.
STAFF_PAGES = {"index", "review_queue", "password_change", "password_change_done", "app_list"}
# Not screens: the sign-in and sign-out pages, the JavaScript catalogue, the autocomplete feed.
NOT_SCREENS = {"login", "logout", "jsi18n", "autocomplete", "view_on_site"}


def may(role, action, model):
    """What the role may do with a model in the admin, from the job descriptions."""
    if model in IMPORTS:
        return action == "view" and may(role, "add", "reference")
    if model in TRANSLATIONS and role != "superuser":
        # A publisher deletes an unpublished one as any page (the workflow decides which).
        return action == "view" or (role, action) == ("publisher", "delete")
    if model in REPORTS:
        if role == "superuser":
            return action != "add"
        return action == "view" or (role == "editor" and action == "change")
    if role == "superuser":
        # Records are written by the workflow only; login records are read and cleared.
        if model in RECORDS - {"physician"} | TASK_RESULTS:
            return action == "view"
        if model in LOGINS:
            return action in {"view", "delete"}
        return True
    if model in LOGINS | ACCOUNTS | TASK_RESULTS:
        return False
    if action == "view":
        return True  # every editorial role reads everything editorial
    if (role, action) == ("publisher", "delete") and model in {"condition", "editorialpage"}:
        return True  # an unpublished page that was signed off: the workflow decides which
    return role == "editor" and model in CONTENT


def expected_status(role, name):
    if role == "anonymous":
        return 302
    if name in STAFF_PAGES:
        return 200
    if name.startswith(("references_import_", "references_suggest_")):
        return 200 if may(role, "add", "reference") else 403
    if name == "auth_user_password_change":
        return 200 if may(role, "change", "user") else 403
    if name == "translations_translation_add":  # leads to the start screen
        return 302 if may(role, "add", "translation") else 403
    app_model, view = name.rsplit("_", 1)
    model = app_model.rsplit("_", 1)[1]  # app labels may hold "_", model names do not
    reading = {"changelist", "change", "history", "revision", "review", "preview", "timeline"}
    reading |= {"inbox"}
    if view in reading | {"compare", "citekeys", "treatment"}:
        allowed = may(role, "view", model)
    elif view == "autosave":
        allowed = may(role, "change", model)
    elif view in {"add", "recover", "start"}:
        allowed = may(role, "add", model)
    elif view == "import":
        allowed = may(role, "change", model)
    elif view == "recoverlist":
        allowed = may(role, "add", model) and may(role, "change", model)
    elif view == "delete":
        allowed = may(role, "delete", model)
    elif view == "dismiss":  # a finding: physicians decide, with their password
        allowed = role in {"physician", "inactive_physician", "superuser"}
    else:
        raise AssertionError(f"No expectation for {name}")
    return 200 if allowed else 403


def admin_url_names():
    def walk(patterns, in_admin=False):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, in_admin or pattern.namespace == "admin")
            elif pattern.name and (in_admin or pattern.name == "review_queue"):
                yield pattern.name

    names = set(walk(get_resolver().url_patterns)) - NOT_SCREENS
    # The workflow steps and the editor's live preview answer POST only; the tests of steps
    # below and tests/test_editor_forms.py cover them, and a background import's confirm and
    # discard tests/test_reference_import_jobs.py.
    post_only = ("_workflow", "_live_preview", "_live_preview_add", "_autosave_add")
    post_only += ("_referenceimport_confirm", "_referenceimport_discard")
    post_only += ("_savedsearch_decide", "_finding_import")
    return sorted(name for name in names if not name.endswith(post_only))


@pytest.fixture
def world(db, settings):
    """One of everything the admin shows, and a user per role."""
    editor = make_user("edna", "Editors")
    users = {
        "editor": editor,
        "physician": make_user("dr.house", "Physicians"),
        "inactive_physician": make_user("dr.gone", "Physicians"),
        "publisher": make_user("pat", "Publishers"),
        "superuser": make_user("root", is_superuser=True),
    }
    with reversion.create_revision():
        Physician.objects.create(
            user=users["physician"], display_name="Gregory House", credentials="MD"
        )
        Physician.objects.create(
            user=users["inactive_physician"], display_name="Gone", credentials="MD", is_active=False
        )
    condition = make_condition(editor)
    workflow.sign_off(condition, users["physician"], PASSWORD)
    workflow.publish(condition, users["publisher"])
    with reversion.create_revision():
        treatment = Treatment.objects.create(name="Lithium", slug="lithium", kind="medication")
        reference = make_reference("rodriguez2013")
        # One deleted object of each versioned model, for the recover screens.
        doomed = [
            Treatment.objects.create(name="Doomed", slug="doomed", kind="other"),
            make_reference("doomed2000"),
            make_condition(editor, slug="doomed"),
            Physician.objects.create(
                user=make_user("dr.doomed"), display_name="D", credentials="MD"
            ),
            EditorialPage.objects.create(slug="disclosures", title="Doomed", summary="s", body="b"),
        ]
        statement = EditorialPage.objects.create(
            slug="editorial-policy", title="Policy", summary="s", body="## One\n\nText."
        )
    for obj in doomed:
        obj.delete()
    now = timezone.now()
    objects = {
        "user": editor,
        "partner": create_partner("Acme Health")[0],
        "group": editor.groups.get(),
        "condition": condition,
        "treatment": treatment,
        "reference": reference,
        "physician": Physician.objects.first(),
        "signoff": SignOff.objects.get(),
        "publication": Publication.objects.get(),
        "reviewevent": ReviewEvent.objects.first(),
        "editorialpage": statement,
        "report": Report.objects.create(
            publication=Publication.objects.get(),
            page_title="Test",
            kind="other",
            message="Something to check here.",
        ),
        "accessattempt": AccessAttempt.objects.create(
            username="x",
            ip_address="10.0.0.1",
            user_agent="ua",
            attempt_time=now,
            failures_since_start=1,
        ),
        "accesslog": AccessLog.objects.create(
            username="x", ip_address="10.0.0.1", user_agent="ua", attempt_time=now
        ),
        "accessfailurelog": AccessFailureLog.objects.create(
            username="x", ip_address="10.0.0.1", user_agent="ua", attempt_time=now
        ),
        "dbtaskresult": _queued_task(settings),
        "referenceimport": ReferenceImport.objects.create(
            started_by=editor, file_name="library.ris", size=10, format="ris"
        ),
        **_webhook(create_partner("Webhook Partner")[0]),
        **_evidence(condition, reference),
        "translation": _translation(condition, users, editor),
    }
    return users, objects


def _translation(condition, users, editor):
    from translations.editing import start_translation

    translator = make_user("tomas", "Translators")
    translation = start_translation(condition, "es", translator)
    # One deleted translation, for the recover screen.
    other = make_condition(editor, slug="other-condition")
    workflow.sign_off(other, users["physician"], PASSWORD)
    workflow.publish(other, users["publisher"])
    doomed = start_translation(other, "es", translator)
    with reversion.create_revision():
        doomed.delete()
    return translation


def _evidence(condition, reference):
    from evidence.models import EditorTask, Finding, SavedSearch, WatchRun

    now = timezone.now()
    finding = Finding.objects.create(
        reference=reference,
        kind="erratum",
        severity="low",
        source="PubMed",
        notice="erratum",
        description="Erratum in PubMed.",
        found_at=now,
    )
    return {
        "savedsearch": SavedSearch.objects.create(
            condition=condition, terms="ketamine", starts_from=now.date()
        ),
        "finding": finding,
        "editortask": EditorTask.objects.create(
            content_type=ContentType.objects.get_for_model(condition),
            object_id=condition.pk,
            finding=finding,
            created_at=now,
        ),
        "watchrun": WatchRun.objects.create(started_at=now),
    }


def _webhook(partner):
    endpoint = Endpoint.objects.create(partner=partner, url="https://hooks.example/tovani")
    delivery = Delivery.objects.create(
        endpoint=endpoint, event_id="msg_1", event_type="page.published", payload={}
    )
    return {"endpoint": endpoint, "delivery": delivery}


def _queued_task(settings):
    settings.TASKS = DATABASE_TASKS
    send_email.enqueue("Subject", "Body.", ["someone@example.org"])
    return DBTaskResult.objects.get()


def url_for(name, objects):
    if name in {"index", "review_queue", "password_change", "password_change_done"}:
        return reverse(f"admin:{name}" if name != "review_queue" else name)
    if name == "app_list":
        return reverse("admin:app_list", args=["conditions"])
    if name.startswith(("references_import_", "references_suggest_")):
        return reverse(f"admin:{name}")
    if name == "auth_user_password_change":
        return reverse(f"admin:{name}", args=[objects["user"].pk])
    app_model, view = name.rsplit("_", 1)
    model = app_model.rsplit("_", 1)[1]  # app labels may hold "_", model names do not
    obj = objects.get(model)
    if view in {"changelist", "add", "recoverlist", "citekeys", "start"}:
        return reverse(f"admin:{name}")
    if view == "recover":
        version = Version.objects.get_deleted(type(obj)).first()
        return reverse(f"admin:{name}", args=[version.pk])
    if view == "revision":
        version = Version.objects.get_for_object(obj).first()
        return reverse(f"admin:{name}", args=[obj.pk, version.pk])
    if view == "treatment":
        return reverse(f"admin:{name}", args=[objects["treatment"].pk])
    if view == "compare":
        version = Version.objects.get_for_object(obj).first()
        return reverse(f"admin:{name}", args=[obj.pk]) + f"?old={version.pk}&new={version.pk}"
    return reverse(f"admin:{name}", args=[obj.pk])


ADMIN_URL_NAMES = admin_url_names()


def test_the_matrix_covers_every_admin_screen():
    """A new admin URL fails here until the matrix says who may open it."""
    for name in ADMIN_URL_NAMES:
        for role in ROLES:
            assert expected_status(role, name) in {200, 302, 403}
    assert len(ADMIN_URL_NAMES) > 60


@pytest.mark.parametrize("name", ADMIN_URL_NAMES)
def test_who_may_open_each_admin_screen(client, world, name):
    """Each role in turn: 200 where the role may, 403 where it may not, the login for strangers."""
    users, objects = world
    path = url_for(name, objects)
    answers = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(users[role])
        response = client.get(path)
        answers[role] = response.status_code
        if role == "anonymous" and response.status_code == 302:
            assert response["Location"].startswith("/admin/login/")
    assert answers == {role: expected_status(role, name) for role in ROLES}


STEPS = ["submit", "request_changes", "sign_off", "publish", "unpublish"]
ALLOWED_STEPS = {
    "editor": {"submit"},
    "physician": {"request_changes", "sign_off"},
    "inactive_physician": set(),
    "publisher": {"publish", "unpublish"},
    # Even a superuser signs only with a physician profile.
    "superuser": {"submit", "publish", "unpublish"},
}


def take(step, page, user):
    if step == "submit":
        return workflow.submit_for_review(page, user)
    if step == "request_changes":
        return workflow.request_changes(page, user, "Please fix.")
    if step == "sign_off":
        return workflow.sign_off(page, user, PASSWORD)
    if step == "publish":
        return workflow.publish(page, user)
    return workflow.unpublish(page, user, "Withdrawn.")


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
@pytest.mark.parametrize("step", STEPS)
def test_who_may_take_each_workflow_step(world, role, step):
    users, objects = world
    page = objects["condition"]
    other = make_user("otto", "Editors")
    with reversion.create_revision():
        reversion.set_user(other)
        page.summary = "Edited for the matrix."
        page.save()
    if step == "publish":
        workflow.sign_off(page, users["physician"], PASSWORD)
    if step == "request_changes":
        workflow.submit_for_review(page, other)
    events_before = ReviewEvent.objects.count()
    try:
        take(step, page, users[role])
    except WorkflowError:
        allowed = False
    else:
        allowed = True
    assert allowed == (step in ALLOWED_STEPS[role]), (role, step)
    assert ReviewEvent.objects.count() == events_before + (1 if allowed else 0)


@pytest.mark.parametrize(
    ("role", "step", "expected"),
    [
        (role, step, step in ALLOWED_STEPS[role] and step in {"submit", "publish", "unpublish"})
        for role in ROLES
        if role != "anonymous"
        for step in ["submit", "publish", "unpublish"]
    ],
)
def test_the_admin_buttons_obey_the_same_rules(client, world, role, step, expected):
    users, objects = world
    page = objects["condition"]
    with reversion.create_revision():
        reversion.set_user(users["editor"])
        page.summary = "Edited for the matrix."
        page.save()
    if step == "publish":
        workflow.sign_off(page, users["physician"], PASSWORD)
    client.force_login(users[role])
    before = ReviewEvent.objects.count()
    client.post(
        reverse("admin:conditions_condition_workflow", args=[page.pk, step]),
        {"note": "", "reason": "Withdrawn."},
    )
    assert (ReviewEvent.objects.count() == before + 1) == expected


def test_anonymous_visitors_cannot_take_a_workflow_step(client, world):
    _, objects = world
    page = objects["condition"]
    for step in ["submit", "publish", "unpublish"]:
        response = client.post(reverse("admin:conditions_condition_workflow", args=[page.pk, step]))
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    assert workflow.state(page) == workflow.State.LIVE


def test_every_registered_model_is_in_the_matrix():
    names = {model._meta.model_name for model in admin.site._registry}
    groups = CONTENT | RECORDS | LOGINS | ACCOUNTS | TASK_RESULTS | REPORTS | IMPORTS
    assert names <= groups | TRANSLATIONS
