"""Parts that several pages show alike: a treatment's name and summary.

A treatment is edited once and shown on every page that lists it, so a change to it is a change
to each of those pages. Its change form names the live pages a save sends back to review; a save
goes on the timeline of each page showing it (SharedPartChange); the review screen marks shared
parts with the number of other pages that show them, and lists the shared changes since the
version it compares with.
"""

from django.dispatch import receiver
from reversion.signals import post_revision_commit


def live_pages_showing(treatment) -> list:
    """The live pages listing a treatment: a change to it sends each back to review."""
    from django.contrib.contenttypes.models import ContentType

    from conditions.models import Condition
    from reviews.models import LivePublication

    if treatment.pk is None:
        return []
    live = LivePublication.objects.filter(content_type=ContentType.objects.get_for_model(Condition))
    return list(
        Condition.objects.filter(
            pk__in=live.values("object_id"), condition_treatments__treatment=treatment
        )
        .distinct()
        .order_by("title")
    )


@receiver(post_revision_commit)
def record_shared_changes(sender, revision, versions, **kwargs):
    """Each saved treatment goes on the timeline of every page that shows it."""
    from conditions.models import Condition, SharedPartChange, Treatment

    saved = [int(v.object_id) for v in versions if v._model is Treatment]
    for treatment in Treatment.objects.filter(pk__in=saved):
        pages = list(Condition.objects.filter(condition_treatments__treatment=treatment).distinct())
        SharedPartChange.objects.bulk_create(
            SharedPartChange(
                condition=page,
                part=f"Treatment “{treatment.name}”",
                other_pages=len(pages) - 1,
                changed_by=revision.user,
                at=revision.date_created,
            )
            for page in pages
        )
