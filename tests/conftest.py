"""Shared fixtures: the people of the workflow and small pages to publish."""

import json

import pytest
import reversion
from django.contrib.auth.models import Group, User

from conditions.models import Condition, KeyPoint
from references.models import Reference
from reviews import workflow
from reviews.models import Physician

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rolled-back tests reuse primary keys, so a page cached under one test's id must go."""
    from django.core.cache import cache

    cache.clear()
    _forget_process_memory()
    yield
    cache.clear()
    _forget_process_memory()


def _forget_process_memory():
    from evidence.status import recent_version
    from partners import rate_limit
    from partners.accounts import recent_keys
    from publishing.page_cache import memory_pages
    from publishing.pointers import recent_pointers
    from purges import surrogate_keys
    from tovani import replay, shared_cache

    for memory in [memory_pages, recent_pointers, recent_keys, recent_version, replay.answers]:
        memory.clear()
    shared_cache.forget()
    rate_limit.forget()
    surrogate_keys.forget()


def make_user(username, group=None, **extra):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True, **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(db):
    return make_user("edna", "Editors")


@pytest.fixture
def physician_user(db):
    user = make_user("dr.house", "Physicians")
    Physician.objects.create(user=user, display_name="Gregory House", credentials="MD")
    return user


@pytest.fixture
def physician(physician_user):
    return physician_user.physician


@pytest.fixture
def publisher(db):
    return make_user("pat", "Publishers")


@pytest.fixture
def reference(db):
    return make_reference("rodriguez2013", pmid="23783065", doi="10.1038/npp.2013.150")


def make_reference(citekey, **fields):
    defaults = {
        "authors": "Rodriguez CI, Kegeles LS, Levinson A",
        "title": f"A study cited as {citekey}",
        "journal": "Neuropsychopharmacology",
        "year": 2013,
    }
    return Reference.objects.create(citekey=citekey, **{**defaults, **fields})


def make_condition(user=None, slug="test-condition", **fields):
    """A small condition page, saved inside a revision as the admin would."""
    defaults = {"title": "Test Condition", "summary": "A page used by the tests."}
    with reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        condition = Condition.objects.create(slug=slug, **{**defaults, **fields})
    return condition


def edit(condition, user, **fields):
    """Change a condition as an editor would: a saved revision by that user."""
    with reversion.create_revision():
        reversion.set_user(user)
        for name, value in fields.items():
            setattr(condition, name, value)
        condition.save()
    return condition


def add_key_point(condition, text, order=1):
    return KeyPoint.objects.create(condition=condition, text=text, sort_order=order)


@pytest.fixture
def condition(editor):
    return make_condition(editor, clinical_definition="A definition.")


@pytest.fixture
def published(condition, physician_user, publisher):
    """The condition, signed off and published."""
    workflow.sign_off(condition, physician_user, PASSWORD)
    workflow.publish(condition, publisher)
    return condition


@pytest.fixture
def demo(db, settings):
    from conditions.demo_content import load_demo

    settings.DEBUG = True
    result = load_demo()
    settings.DEBUG = False
    return result


def publish_page(editor, physician_user, publisher, slug, **fields):
    """A condition page made by the editor, signed off and published."""
    fields.setdefault("title", slug.replace("-", " ").title())
    condition = make_condition(editor, slug=slug, **fields)
    workflow.sign_off(condition, physician_user, PASSWORD)
    workflow.publish(condition, publisher)
    return condition


@pytest.fixture
def partner_key(db):
    """The key of a partner with room for every request the tests make."""
    from partners.accounts import create_partner

    _, key = create_partner("Acme", contact_email="api@acme.example", rate_limit_per_minute=10_000)
    return key


def answer_json(response):
    """The JSON of an answer, whether it was sent whole or streamed (the manifest)."""
    if response.streaming:
        return json.loads(b"".join(response.streaming_content))
    return response.json()


@pytest.fixture
def api(client, partner_key):
    """A test client that sends the partner's key with every request."""
    client.defaults["HTTP_X_API_KEY"] = partner_key
    return client
