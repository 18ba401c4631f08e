"""What every step writes the same way: the locked row, the timeline event, a closed order."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from reviews import audit_chain, clock
from reviews.models import ReviewEvent


def locked(obj):
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def record_event(obj, kind, user, *, digest="", note="", **summary) -> ReviewEvent:
    return audit_chain.append(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind=kind,
        actor=user,
        digest=digest,
        note=(note or "").strip(),
        at=clock.now(),
        **summary,
    )


def close_order(item, status, user, reason):
    item.status = status
    item.reason = reason
    item.closed_at = clock.now()
    item.closed_by = user
    item.save()


def after_commit(signal, obj, publication):
    sender = type(obj)
    transaction.on_commit(lambda: signal.send_robust(sender, instance=obj, publication=publication))
