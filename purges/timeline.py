"""A page's purges on its timeline: when every edge cache confirmed, or that one never did."""

from django.db.models import Q

from purges.models import Purge


def timeline_entries(obj) -> list[dict]:
    """Entries for the admin timeline of obj, as reviews.admin_workflow lists them."""
    purges = Purge.objects.for_object(obj).filter(
        Q(abandoned_at__isnull=False) | (Q(confirmed_at__isnull=False) & ~Q(confirmed_by={}))
    )
    return [{"at": p.confirmed_at or p.abandoned_at, "purge": p, "who": None} for p in purges]


def describe(purge: Purge) -> str:
    """What the timeline says of a purge."""
    if purge.abandoned_at is not None:
        return (
            f"Not every cache confirmed the purge after {purge.attempts} attempts: "
            f"{purge.last_error}"
        )
    caches = len(purge.confirmed_by)
    where = "every cache" if caches != 1 else "the cache"
    seconds = f"{purge.seconds_to_confirm:.1f}"
    if purge.reason == Purge.Reason.PUBLISHED:
        return f"The previous version gone from {where} after {seconds} s ({caches} confirmed)"
    return f"Gone from {where} after {seconds} s ({caches} confirmed)"
