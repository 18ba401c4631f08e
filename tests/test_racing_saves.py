"""Saves racing on one page never lose an author: the stored state is written under its row's
lock, so a physician whose change raced an editor's cannot sign the result."""

import threading

import pytest
import reversion
from django.db import connection, connections

from conditions.models import Condition
from references.models import Reference
from reviews import workflow
from reviews.errors import WorkflowError
from reviews.models import Physician, ReviewState
from tests.conftest import PASSWORD, make_condition, make_reference, make_user

ROUNDS = 50

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks need PostgreSQL; CI runs this file against it",
    ),
]


def save_as(user, obj, **fields):
    with reversion.create_revision():
        reversion.set_user(user)
        for name, value in fields.items():
            setattr(obj, name, value)
        obj.save()


def race(*saves):
    start = threading.Barrier(len(saves))

    def run(save):
        try:
            start.wait()
            save()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(save,)) for save in saves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)


def test_an_editors_save_racing_a_physicians_reference_save_keeps_both_authors():
    """Fifty rounds of two saves at the same moment: no self-sign-off is ever accepted."""
    editor = make_user("edna", "Editors")
    dual = make_user("dr.both", "Physicians")
    dual.groups.add(*make_user("tmp", "Editors").groups.all())
    Physician.objects.create(user=dual, display_name="Bo Th", credentials="MD")
    other = make_user("dr.house", "Physicians")
    Physician.objects.create(user=other, display_name="Gregory House", credentials="MD")
    make_reference("rodriguez2013")
    page = make_condition(editor, clinical_definition="Ketamine helps [@rodriguez2013].")
    page.attach_cited_references()

    accepted = []
    for round_ in range(ROUNDS):
        workflow.sign_off(page, other, PASSWORD)
        race(
            lambda n=round_: save_as(editor, Condition.objects.get(pk=page.pk), summary=f"S{n}"),
            lambda n=round_: save_as(dual, Reference.objects.get(), title=f"Title {n}"),
        )
        row = ReviewState.objects.get(object_id=page.pk, content_type__model="condition")
        assert {editor.pk, dual.pk} <= set(row.changed_by), f"round {round_}"
        try:
            workflow.sign_off(page, dual, PASSWORD)
        except WorkflowError:
            continue
        accepted.append(round_)
    assert accepted == []
