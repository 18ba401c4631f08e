"""Parts that several pages show alike: a treatment's name and summary.

A treatment is edited once and shown on every page that lists it, so a change to it is a change
to each of those pages. The review screen marks such parts with the number of other pages that
show them.
"""

from django.db.models import Count

from conditions.models import ConditionTreatment


def other_pages_showing(condition) -> dict[str, int]:
    """For each treatment the page lists, by slug: how many other pages list it too."""
    listed = ConditionTreatment.objects.filter(condition=condition).values("treatment")
    counts = (
        ConditionTreatment.objects.filter(treatment__in=listed)
        .exclude(condition=condition)
        .values("treatment__slug")
        .annotate(pages=Count("condition", distinct=True))
    )
    return {row["treatment__slug"]: row["pages"] for row in counts}
