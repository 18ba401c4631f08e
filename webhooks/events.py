"""The events partners subscribe to, turned into deliveries after the change commits.

The workflow sends ``published`` and ``unpublished`` after its transaction commits, so a
delivery never announces a publication that was rolled back. Partners hear only of the kinds of
page the partner API serves (publishing.registry: for_partners), each event naming its kind,
and every address comes from the publication, never from the draft.

Every event is numbered (``sequence``, webhooks.models.Event) and names the publication it is
about (``publication_id``): deliveries may arrive out of order, and a receiver keeps, for each
address, the event with the largest sequence. A publish at a new slug is a move: the old
address is withdrawn with ``moved_to`` and ``page.moved`` names both, before the new address is
announced as published.
"""

import secrets

from django.db import transaction
from django.db.models.signals import post_save, pre_save
from django.urls import reverse

from publishing import registry
from reviews.models import Publication
from reviews.moves import previous_address
from reviews.signals import published, review_overdue, unpublished
from reviews.signatures import verification_block
from tovani.site_url import absolute_url
from webhooks.models import Delivery, Endpoint, Event
from webhooks.times import moment


def connect():
    published.connect(on_published, dispatch_uid="webhooks.page.published")
    unpublished.connect(on_unpublished, dispatch_uid="webhooks.page.withdrawn")
    review_overdue.connect(on_review_overdue, dispatch_uid="webhooks.page.review_overdue")
    pre_save.connect(remember_retraction, "references.Reference", dispatch_uid="webhooks.ref")
    post_save.connect(on_reference_saved, "references.Reference", dispatch_uid="webhooks.ref")


def on_published(sender, instance, publication, **kwargs):
    if not for_partners(publication):
        return
    before = previous_address(publication)
    if before is not None:
        announce_move(before, publication)
    emit(
        "page.published",
        {**page_data(publication), "review": review_block(publication)},
        subject=publication.slug,
    )


def announce_move(before, publication):
    """The old address withdrawn, saying where the page went, and the move itself."""
    moved_to = address(publication, publication.slug)
    emit(
        "page.withdrawn",
        {**page_data(before), "reason": "moved", "moved_to": moved_to},
        subject=before.slug,
    )
    emit(
        "page.moved",
        {
            "kind": kind_name(publication),
            "publication_id": publication.pk,
            "title": publication.title,
            "from": address(publication, before.slug),
            "to": moved_to,
        },
    )


def on_unpublished(sender, instance, publication, **kwargs):
    if not for_partners(publication):
        return
    emit(
        "page.withdrawn",
        {**page_data(publication), "reason": "unpublished", "moved_to": None},
        subject=publication.slug,
    )


def on_review_overdue(sender, publication, **kwargs):
    """Once per publication, however many times the daily check finds it overdue."""
    announced = Delivery.objects.filter(
        event_type="page.review_overdue",
        payload__slug=publication.slug,
        payload__digest=publication.digest,
    )
    if for_partners(publication) and not announced.exists():
        emit(
            "page.review_overdue",
            {**page_data(publication), "review": review_block(publication)},
        )


def remember_retraction(sender, instance, **kwargs):
    stored = sender._default_manager.filter(pk=instance.pk).values_list("retracted", flat=True)
    instance._was_retracted = bool(instance.pk and stored.first())


def on_reference_saved(sender, instance, **kwargs):
    """A reference newly marked retracted: partners hear which live pages cite it, after commit."""
    if instance.retracted and not getattr(instance, "_was_retracted", False):
        data = {
            "citekey": instance.citekey,
            "title": instance.title,
            "doi": instance.doi or None,
            "pmid": instance.pmid or None,
            "retraction_notice": instance.retraction_notice,
            "pages": live_pages_citing(instance.citekey),
        }
        transaction.on_commit(lambda: emit("reference.retracted", data))


def live_pages_citing(citekey) -> list[dict]:
    """The live pages whose published document cites citekey (a retraction is rare: one scan)."""
    cited_by = []
    for publication in Publication.objects.live():
        references = publication.document.get("references", [])
        cited = any(ref.get("citekey") == citekey for ref in references)
        if cited and for_partners(publication):
            cited_by.append(page_data(publication))
    return cited_by


def emit(event_type, data, subject="") -> list[Delivery]:
    """A delivery of the event to every endpoint listening to it, each queued for the worker.

    subject is the address the event is about (none for a move or a retraction): a delivery
    for an address is superseded by a newer one delivered for it (webhooks.tasks).
    """
    from webhooks.tasks import queue

    with transaction.atomic():
        event = Event.objects.create(
            event_id=f"msg_{secrets.token_urlsafe(18)}", event_type=event_type, subject=subject
        )
        data = {**data, "sequence": event.sequence}
        deliveries = [
            Delivery.objects.create(
                endpoint=endpoint,
                event_id=event.event_id,
                event_type=event_type,
                sequence=event.sequence,
                subject=subject,
                payload=data,
            )
            for endpoint in Endpoint.objects.listening_to(event_type)
        ]
        for delivery in deliveries:
            queue(delivery)
    return deliveries


def _kind(publication):
    return registry.kind_of(publication.content_type.model_class())


def for_partners(publication) -> bool:
    model = publication.content_type.model_class()
    return registry.is_registered(model) and registry.kind_of(model).for_partners


def kind_name(publication) -> str:
    return _kind(publication).name


def page_data(publication) -> dict:
    """The page as publication shows it, at the publication's own slug."""
    return {
        "kind": kind_name(publication),
        "slug": publication.slug,
        "title": publication.title,
        "digest": publication.digest,
        "publication_id": publication.pk,
        "url": address(publication, publication.slug)["url"],
    }


def address(publication, slug) -> dict:
    """A page's public and API URLs at slug, from the kind it was published as."""
    public = absolute_url(_kind(publication).path(slug))
    api = absolute_url(reverse("api:condition-detail", kwargs={"slug": slug}))
    return {"slug": slug, "url": public, "api_url": api}


def review_block(publication) -> dict:
    sign_off = publication.sign_off
    return {
        "reviewed_by": sign_off.signature,
        "reviewed_at": moment(sign_off.signed_at),
        "published_at": moment(publication.published_at),
        "verification": verification_block(publication),
    }
