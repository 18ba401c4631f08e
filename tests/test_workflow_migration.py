"""Upgrading to source digests keeps every approval and every live page as it was.

Records written before source digests hold digests of the rendered document. The migration
gives each record whose page still has exactly that document the digest of the page's source:
an approved page stays approved, a live page stays live with the same stamp and the same
publication digest, and a page changed since its sign-off still needs a new one.
"""

import pytest
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from conditions.models import Condition
from reviews import workflow
from reviews.digest import document_digest
from reviews.models import Publication, ReviewState, SignOff

BEFORE = [("reviews", "0003_event_actor_optional")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def older_rendering(document):
    """The document as an older renderer made it: other markup, other spacing, fewer fields."""
    if isinstance(document, dict):
        return {key: older_rendering(value) for key, value in document.items() if key != "kind"}
    if isinstance(document, list):
        return [older_rendering(value) for value in document]
    if isinstance(document, str):
        return document.replace("<p>", '<p class="older">\n')
    return document


def old_records(old, page, user, physician, *, live, rendering=lambda document: document):
    """A sign-off (and a live publication) as the previous release wrote them."""
    content_type = ContentType.objects.get_for_model(Condition).pk
    document = rendering(page.build_document())
    common = {"content_type_id": content_type, "object_id": page.pk}
    signed = old.get_model("reviews", "SignOff").objects.create(
        **common,
        physician_id=physician.pk,
        signature="Dr. Ann Old, MD",
        digest=document_digest(document),
        document=document,
        signed_at=timezone.now(),
    )
    if live:
        publication = old.get_model("reviews", "Publication").objects.create(
            **common,
            slug=page.slug,
            title=page.title,
            digest=document_digest(document),
            document=document,
            sign_off_id=signed.pk,
            published_at=timezone.now(),
            published_by_id=user.pk,
        )
        old.get_model("reviews", "LivePublication").objects.create(
            **common, slug=page.slug, publication_id=publication.pk, live_since=timezone.now()
        )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_sign_offs_stay_valid_and_live_pages_stay_live():
    old = migrate(BEFORE)
    try:
        user = User.objects.create_user("dr.old", password="x")
        physician = old.get_model("reviews", "Physician").objects.create(
            user_id=user.pk, display_name="Ann Old", credentials="MD"
        )
        live = Condition.objects.create(slug="live", title="Live", summary="Live page.")
        approved = Condition.objects.create(slug="approved", title="Approved", summary="A.")
        changed = Condition.objects.create(slug="changed", title="Changed", summary="Before.")
        old_records(old, live, user, physician, live=True)
        old_records(old, approved, user, physician, live=False)
        old_records(old, changed, user, physician, live=True)
        Condition.objects.filter(pk=changed.pk).update(summary="Edited after it went live.")
        old_publications = old.get_model("reviews", "Publication").objects
        publication_digest = old_publications.get(object_id=live.pk).digest
    finally:
        call_command("migrate", verbosity=0)  # as an upgrade runs it: post_migrate included

    assert workflow.state(live) == workflow.State.LIVE
    assert workflow.state(approved) == workflow.State.APPROVED
    assert workflow.state(changed) == workflow.State.LIVE_WITH_UNREVIEWED_CHANGES
    publication = Publication.objects.select_related("sign_off").get(object_id=live.pk)
    assert publication.digest == publication_digest
    assert publication.sign_off.signature == "Dr. Ann Old, MD"
    assert SignOff.objects.get(object_id=changed.pk).source_digest == ""
    states = {row.object_id: row.state for row in ReviewState.objects.all()}
    assert states == {
        live.pk: workflow.State.LIVE,
        approved.pk: workflow.State.APPROVED,
        changed.pk: workflow.State.LIVE_WITH_UNREVIEWED_CHANGES,
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_records_signed_under_an_older_renderer_keep_approving_the_same_words():
    """A renderer that changed markup between releases is not a change nobody signed; a changed
    word still is."""
    old = migrate(BEFORE)
    try:
        user = User.objects.create_user("dr.old", password="x")
        physician = old.get_model("reviews", "Physician").objects.create(
            user_id=user.pk, display_name="Ann Old", credentials="MD"
        )
        same = Condition.objects.create(slug="same", title="Same", summary="Same words.")
        same.clinical_definition = "A definition in *Markdown*."
        same.save()
        reworded = Condition.objects.create(slug="reworded", title="Reworded", summary="Before.")
        for page in (same, reworded):
            old_records(old, page, user, physician, live=True, rendering=older_rendering)
        assert (
            "older"
            in old.get_model("reviews", "SignOff")
            .objects.get(object_id=same.pk)
            .document["clinical_definition"]["html"]
        )
        Condition.objects.filter(pk=reworded.pk).update(summary="After.")
    finally:
        call_command("migrate", verbosity=0)  # as an upgrade runs it: post_migrate included

    assert workflow.state(same) == workflow.State.LIVE
    assert workflow.state(reworded) == workflow.State.LIVE_WITH_UNREVIEWED_CHANGES


@pytest.mark.django_db
def test_a_database_from_before_the_step_gets_the_later_schema_first():
    """A database that has not run the source-digest step yet (the release before it) has the
    step's tables completed by the later migrations of conditions and references first: the
    step builds documents with today's models."""
    step = ("reviews", "0010_source_digests_of_existing_records")
    later = [("conditions", "0008_lookup_codes"), ("references", "0005_reference_imports")]
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    executor.loader.applied_migrations = {
        node: graph.nodes[node]
        for node in graph.nodes
        # Everything but the step, the later migrations and what depends on any of them.
        if not {step, *later} & set(graph.forwards_plan(node))
    }
    plan = [(m.app_label, m.name) for m, _backwards in executor.migration_plan(latest())]
    assert step in plan
    assert all(plan.index(migration) < plan.index(step) for migration in later)
