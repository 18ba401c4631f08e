"""Deliveries run by the background worker, retried on the Standard Webhooks schedule.

A retry never overtakes: a delivery about an address is not sent once a newer event about the
same address (a larger sequence) has been delivered to that endpoint. It is marked superseded
instead, so a receiver that was down never goes back to an older version. Holding newer
deliveries back until an older one gets through would keep a partner on the older version for
as long as the older one keeps failing; the newer event says everything the older one did.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from tasks import leases
from tovani.tasks import enqueue_on_commit, send_email
from webhooks.errors import EndpointRefused
from webhooks.models import Delivery
from webhooks.sending import RETRY_SCHEDULE, post

logger = logging.getLogger(__name__)


@task()
def deliver(delivery_id: int) -> str:
    """Attempt one delivery unless it is already settled; returns its status afterwards."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("endpoint__partner")
            .get(pk=delivery_id)
        )
        if delivery.status != Delivery.Status.PENDING or not delivery.endpoint.enabled:
            return delivery.status  # idempotent: a delivered event is never sent twice
        if _overtaken(delivery):
            _superseded(delivery)
            return delivery.status
        code, error = _attempt(delivery)
        if code is not None and 200 <= code < 300:
            _delivered(delivery, code)
        else:
            _failed(delivery, code, error)
        return delivery.status


def _overtaken(delivery) -> bool:
    """A newer event about the same address has reached this endpoint already."""
    if not delivery.subject:
        return False
    return Delivery.objects.filter(
        endpoint_id=delivery.endpoint_id,
        subject=delivery.subject,
        sequence__gt=delivery.sequence,
        status=Delivery.Status.DELIVERED,
    ).exists()


def _superseded(delivery):
    delivery.status = Delivery.Status.SUPERSEDED
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "next_attempt_at"])


def _attempt(delivery):
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    try:
        return post(delivery), ""
    except EndpointRefused as error:
        return None, str(error)
    except OSError as error:
        return None, f"{type(error).__name__}: {error}"


def _delivered(delivery, code):
    delivery.status = Delivery.Status.DELIVERED
    delivery.response_code = code
    delivery.delivered_at = timezone.now()
    delivery.next_attempt_at = None
    delivery.last_error = ""
    delivery.save()
    endpoint = delivery.endpoint
    if endpoint.failing_since is not None:
        endpoint.failing_since = None
        endpoint.save(update_fields=["failing_since"])


def _failed(delivery, code, error):
    delivery.response_code = code
    delivery.last_error = error or f"HTTP {code}"
    if delivery.attempts > len(RETRY_SCHEDULE):
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = timezone.now() + RETRY_SCHEDULE[delivery.attempts - 1]
        _schedule(delivery)
    delivery.save()
    logger.warning("Webhook %s, attempt %d: %s", delivery, delivery.attempts, delivery.last_error)
    _disable_if_failing_for_a_day(delivery.endpoint)


def _schedule(delivery):
    if deliver.get_backend().supports_defer:
        transaction.on_commit(
            lambda: deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
        )


def _disable_if_failing_for_a_day(endpoint):
    now = timezone.now()
    if endpoint.failing_since is None:
        endpoint.failing_since = now
        endpoint.save(update_fields=["failing_since"])
        return
    if now - endpoint.failing_since < settings.WEBHOOK_DISABLE_AFTER:
        return
    endpoint.enabled = False
    endpoint.disabled_at = now
    endpoint.save(update_fields=["enabled", "disabled_at"])
    if endpoint.partner.contact_email:
        enqueue_on_commit(
            send_email,
            f"Webhook endpoint disabled: {endpoint.url}",
            f"Deliveries to {endpoint.url} have failed since "
            f"{endpoint.failing_since:%Y-%m-%d %H:%M} UTC, so {settings.SITE_NAME} stopped "
            "sending to it. Fix the endpoint, then ask us to enable it again; the events it "
            "missed can be resent from the delivery list.",
            [endpoint.partner.contact_email],
        )


def queue(delivery):
    enqueue_on_commit(deliver, delivery.pk)


def resend(delivery):
    """Send a delivery again, with the same webhook-id so the receiver can recognise it."""
    delivery.status = Delivery.Status.PENDING
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "next_attempt_at"])
    queue(delivery)


def _lost(args, kwargs, reason):
    """The worker died sending it too often: the delivery fails, saying why, and can be resent."""
    delivery = Delivery.objects.filter(pk=args[0], status=Delivery.Status.PENDING).first()
    if delivery is None:
        return
    delivery.status = Delivery.Status.FAILED
    delivery.next_attempt_at = None
    delivery.last_error = reason
    delivery.save(update_fields=["status", "next_attempt_at", "last_error"])


leases.on_give_up(deliver, _lost)


@leases.on_sweep
def send_stranded() -> list[str]:
    """A pending delivery a lease past its time with no task to send it is queued again."""
    cutoff = timezone.now() - leases.lease()
    stranded = Delivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=cutoff),
        status=Delivery.Status.PENDING,
        created_at__lt=cutoff,
        endpoint__enabled=True,
    )
    queued = leases.waiting(deliver)
    said = []
    for pk in stranded.values_list("pk", flat=True):
        if [pk] not in queued:
            deliver.enqueue(pk)
            said.append(f"webhook delivery {pk}: pending with no task, queued again.")
    return said
