"""verify_library proves nothing was altered behind the workflow's back, or names what was.

It recomputes each live page's digests from what is stored, checks every publication's
signature against the site's public keys, and walks the review events' hash chain (each event
stores the hash of the one before it). Altering a row directly in the database, as someone with
database access but not the signing key could, makes it exit non-zero naming the row.
"""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from conditions.models import Condition
from reviews import audit_chain, workflow
from reviews.models import Publication, ReviewEvent
from tests.conftest import PASSWORD, edit


def raw(model):
    """A plain queryset, as a direct SQL UPDATE would behave: no append-only guard."""
    return models.QuerySet(model)


def verify(capsys):
    """Run verify_library; (exit ok?, all it printed)."""
    try:
        call_command("verify_library")
    except CommandError as error:
        printed = capsys.readouterr()
        return False, printed.out + printed.err + str(error)
    printed = capsys.readouterr()
    return True, printed.out + printed.err


@pytest.fixture
def history(published, editor, physician_user, publisher):
    """A page published twice, unpublished once: events on one chain."""
    edit(published, editor, summary="A corrected summary.")
    workflow.submit_for_review(published, editor)
    workflow.sign_off(published, physician_user, PASSWORD)
    workflow.publish(published, publisher)
    return published


def test_an_untouched_library_verifies(history, capsys):
    ok, output = verify(capsys)
    assert ok, output
    assert (
        output.strip()
        == "The library verifies: live pages, signatures, review events and the read side."
    )


def test_each_event_links_to_the_one_recorded_before_it_on_any_page(history, editor):
    other = Condition.objects.create(slug="other-page", title="Other page", summary="Other.")
    workflow.submit_for_review(other, editor)

    events = list(ReviewEvent.objects.order_by("pk"))

    assert events[0].previous_hash == ""
    for before, after in zip(events, events[1:], strict=False):
        assert after.previous_hash == before.hash
    assert audit_chain.broken_links() == []


def test_an_altered_publication_is_named(history, capsys):
    first = Publication.objects.order_by("pk").first()
    raw(Publication).filter(pk=first.pk).update(slug="a-different-address")

    ok, output = verify(capsys)

    assert not ok
    assert f"Publication {first.pk} of “{first.title}” (a-different-address" in output
    assert "stored payload does not match its row" in output


def test_a_forged_payload_does_not_verify_without_the_key(history, capsys):
    live = Publication.objects.live().get()
    forged = live.payload.replace(live.sign_off.signature, "Dr. Someone Else, MD")
    raw(Publication).filter(pk=live.pk).update(payload=forged)

    ok, output = verify(capsys)

    assert not ok
    assert f"Publication {live.pk} " in output
    assert "signature does not verify" in output


def test_an_altered_published_document_is_named(history, capsys):
    live = Publication.objects.live().get()
    document = {**live.document, "summary": "Something no physician signed."}
    raw(Publication).filter(pk=live.pk).update(document=document)

    ok, output = verify(capsys)

    assert not ok
    assert f"Page “{live.title}” ({live.slug}): the published document does not match" in output


def test_content_changed_outside_the_editor_is_named(history, capsys):
    raw(Condition).filter(pk=history.pk).update(summary="Typed straight into the database.")

    ok, output = verify(capsys)

    assert not ok
    assert f"({history.slug}): its content digests to" in output
    assert "changed outside the editor" in output


def test_an_altered_event_breaks_the_chain_there(history, capsys):
    events = list(ReviewEvent.objects.order_by("pk"))
    tampered = events[1]
    raw(ReviewEvent).filter(pk=tampered.pk).update(note="A note nobody wrote.")

    ok, output = verify(capsys)

    assert not ok
    assert f"Review event {tampered.pk} " in output
    assert "its fields no longer match its hash" in output
    assert f"Review event {events[0].pk} " not in output


def test_a_deleted_event_breaks_the_link_of_the_next(history, capsys):
    events = list(ReviewEvent.objects.order_by("pk"))
    raw(ReviewEvent).filter(pk=events[2].pk).delete()

    ok, output = verify(capsys)

    assert not ok
    assert f"Review event {events[3].pk} " in output
    assert "does not link to the event before it" in output


def test_an_unsigned_publication_is_named(history, capsys):
    live = Publication.objects.live().get()
    raw(Publication).filter(pk=live.pk).update(signature="", payload="", key_id="")

    ok, output = verify(capsys)

    assert not ok
    assert f"Publication {live.pk} " in output
    assert "it is not signed" in output
