"""The review events as one hash chain: a tamper-evident audit trail.

Each ReviewEvent stores the hash of the event recorded before it (on any page) and its own hash
over its fields and that previous hash. Changing, deleting or inserting an event breaks the
chain from that point, which verify_library reports.

One chain for the whole library rather than one per page: deleting every event of a page (or a
page with its history) breaks it too, and the chain has one order to check. Appending locks one
row (EventChainLock) for the rest of the transaction, so two steps on different pages cannot
both link to the same predecessor; workflow steps are rare, so serializing them costs nothing.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC

from django.db import transaction

from reviews.digest import canonical_json
from reviews.models import EventChainLock, ReviewEvent


def append(**fields) -> ReviewEvent:
    """Record a review event at the head of the chain (fields: those of ReviewEvent)."""
    with transaction.atomic():
        _lock()
        last = ReviewEvent.objects.order_by("-pk").values_list("hash", flat=True).first()
        event = ReviewEvent(previous_hash=last or "", **fields)
        event.hash = event_hash(event)
        event.save()
        return event


def event_hash(event: ReviewEvent) -> str:
    fields = {
        "previous_hash": event.previous_hash,
        "content_type": event.content_type_id,
        "object_id": event.object_id,
        "kind": event.kind,
        "actor": event.actor_id,
        "digest": event.digest,
        "note": event.note,
        "change_summary": event.change_summary,
        "clinically_significant": event.clinically_significant,
        "at": event.at.astimezone(UTC).isoformat(),
    }
    return hashlib.sha256(canonical_json(fields).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    event: ReviewEvent
    reason: str

    def __str__(self):
        return f"Review event {self.event.pk} ({self.event}): {self.reason}"


def broken_links(events=None) -> list[BrokenLink]:
    """Every event whose hash or link does not hold, in chain order; [] for an intact chain."""
    events = ReviewEvent.objects.order_by("pk") if events is None else events
    broken, previous = [], ""
    for event in events.select_related("actor").iterator(chunk_size=2000):
        if event.previous_hash != previous:
            broken.append(BrokenLink(event, "it does not link to the event before it"))
        if event.hash != event_hash(event):
            broken.append(BrokenLink(event, "its fields no longer match its hash"))
        previous = event.hash
    return broken


def _lock():
    lock, _ = EventChainLock.objects.get_or_create(pk=1)
    EventChainLock.objects.select_for_update().get(pk=lock.pk)
