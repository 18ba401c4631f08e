"""Races the database must settle: two publishers pressing Publish at the same moment."""

import threading

import pytest
from django.db import connection, connections

from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import Publication, ReviewEvent
from tests.conftest import PASSWORD, make_condition, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL; CI runs this file against it",
    ),
]


def test_two_concurrent_publishes_make_one_publication(django_user_model):
    from django.contrib.auth.models import Group

    from reviews.models import Physician

    editor = make_user("edna", "Editors")
    doctor = make_user("dr.house", "Physicians")
    Physician.objects.create(user=doctor, display_name="Gregory House", credentials="MD")
    publishers = [make_user(f"pub{i}", "Publishers") for i in range(2)]
    assert Group.objects.filter(name="Publishers").exists()
    page = make_condition(editor)
    workflow.sign_off(page, doctor, PASSWORD)

    start = threading.Barrier(len(publishers))
    outcomes = []

    def press_publish(user):
        try:
            start.wait()
            outcomes.append(workflow.publish(page, user))
        except WorkflowError as refusal:
            outcomes.append(refusal)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=press_publish, args=(user,)) for user in publishers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert Publication.objects.count() == 1
    assert ReviewEvent.objects.filter(kind="published").count() == 1
    refusals = [o for o in outcomes if isinstance(o, WorkflowError)]
    assert [str(r) for r in refusals] == ["This exact version is already live."]


def test_steps_on_different_pages_at_the_same_moment_keep_one_unbroken_event_chain():
    """Each submission links to the event before it: the chain lock lets no two share one."""
    from reviews import audit_chain

    editors = [make_user(f"editor{i}", "Editors") for i in range(4)]
    pages = [make_condition(editor, slug=f"page-{i}") for i, editor in enumerate(editors)]
    start = threading.Barrier(len(pages))

    def submit(page, editor):
        try:
            start.wait()
            workflow.submit_for_review(page, editor)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=submit, args=pair) for pair in zip(pages, editors, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert ReviewEvent.objects.count() == len(pages)
    assert audit_chain.broken_links() == []
