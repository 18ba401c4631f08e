"""The events partners subscribe to, turned into deliveries after the change commits.

The workflow sends ``published`` and ``unpublished`` after its transaction commits, so a
delivery never announces a publication that was rolled back. Partners hear only of the kinds of
page the partner API serves (publishing.registry: for_partners), each event naming its kind,
and every address comes from the publication, never from the draft.
"""

import secrets

from django.db import transaction
from django.db.models.signals import post_save, pre_save

from publishing import registry
from publishing.urls import publication_url
from reviews.models import Publication
from reviews.signals import published, review_overdue, unpublished
from reviews.signatures import verification_block
from webhooks.models import Delivery, Endpoint


def connect():
    published.connect(on_published, dispatch_uid="webhooks.page.published")
    unpublished.connect(on_unpublished, dispatch_uid="webhooks.page.withdrawn")
    review_overdue.connect(on_review_overdue, dispatch_uid="webhooks.page.review_overdue")
    pre_save.connect(remember_retraction, "references.Reference", dispatch_uid="webhooks.ref")
    post_save.connect(on_reference_saved, "references.Reference", dispatch_uid="webhooks.ref")


def on_published(sender, instance, publication, **kwargs):
    if for_partners(publication):
        emit("page.published", {**page_data(publication), "review": review_block(publication)})


def on_unpublished(sender, instance, publication, **kwargs):
    if for_partners(publication):
        emit("page.withdrawn", page_data(publication))


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


def emit(event_type, data) -> list[Delivery]:
    """A delivery of the event to every endpoint listening to it, each queued for the worker."""
    from webhooks.tasks import queue

    event_id = f"msg_{secrets.token_urlsafe(18)}"
    with transaction.atomic():
        deliveries = [
            Delivery.objects.create(
                endpoint=endpoint, event_id=event_id, event_type=event_type, payload=data
            )
            for endpoint in Endpoint.objects.listening_to(event_type)
        ]
        for delivery in deliveries:
            queue(delivery)
    return deliveries


def for_partners(publication) -> bool:
    model = publication.content_type.model_class()
    return registry.is_registered(model) and registry.kind_of(model).for_partners


def page_data(publication) -> dict:
    return {
        "kind": registry.kind_of(publication.content_type.model_class()).name,
        "slug": publication.slug,
        "title": publication.title,
        "digest": publication.digest,
        "url": publication_url(publication),
    }


def review_block(publication) -> dict:
    sign_off = publication.sign_off
    return {
        "reviewed_by": sign_off.signature,
        "reviewed_at": sign_off.signed_at.isoformat(),
        "published_at": publication.published_at.isoformat(),
        "verification": verification_block(publication),
    }
