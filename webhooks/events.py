"""The events partners subscribe to, turned into deliveries after the change commits.

The workflow sends ``published`` and ``unpublished`` after its transaction commits, so a
delivery never announces a publication that was rolled back.
"""

import secrets

from django.db import transaction
from django.db.models.signals import post_save, pre_save

from reviews.models import Publication
from reviews.signals import published, review_overdue, unpublished
from reviews.signatures import verification_block
from tovani.site_url import absolute_url
from webhooks.models import Delivery, Endpoint


def connect():
    published.connect(on_published, dispatch_uid="webhooks.page.published")
    unpublished.connect(on_unpublished, dispatch_uid="webhooks.page.withdrawn")
    review_overdue.connect(on_review_overdue, dispatch_uid="webhooks.page.review_overdue")
    pre_save.connect(remember_retraction, "references.Reference", dispatch_uid="webhooks.ref")
    post_save.connect(on_reference_saved, "references.Reference", dispatch_uid="webhooks.ref")


def on_published(sender, instance, publication, **kwargs):
    emit(
        "page.published", {**page_data(instance, publication), "review": review_block(publication)}
    )


def on_unpublished(sender, instance, publication, **kwargs):
    emit("page.withdrawn", page_data(instance, publication))


def on_review_overdue(sender, publication, **kwargs):
    """Once per publication, however many times the daily check finds it overdue."""
    announced = Delivery.objects.filter(
        event_type="page.review_overdue",
        payload__slug=publication.slug,
        payload__digest=publication.digest,
    )
    if not announced.exists():
        page = publication.content_object
        emit(
            "page.review_overdue",
            {**page_data(page, publication), "review": review_block(publication)},
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
        if any(ref.get("citekey") == citekey for ref in publication.document.get("references", [])):
            page = publication.content_object
            cited_by.append(page_data(page, publication))
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


def page_data(page, publication) -> dict:
    url = absolute_url(page.get_absolute_url()) if hasattr(page, "get_absolute_url") else None
    return {
        "slug": publication.slug,
        "title": publication.title,
        "digest": publication.digest,
        "url": url,
    }


def review_block(publication) -> dict:
    sign_off = publication.sign_off
    return {
        "reviewed_by": sign_off.signature,
        "reviewed_at": sign_off.signed_at.isoformat(),
        "published_at": publication.published_at.isoformat(),
        "verification": verification_block(publication),
    }
