"""The save path of condition pages: after every recorded save, the pages it changed.

A page's source includes its parts and the fields of the references and treatments it shows,
so a saved reference or treatment changes every page that shows it. django-reversion announces
each saved revision (inside its transaction); the workflow then keeps each page's stored review
state current and remembers who made the change.
"""

from collections import defaultdict

from django.dispatch import receiver
from reversion.signals import post_revision_commit

from conditions.models import Condition, ConditionPart, Treatment
from references.models import Reference
from reviews import workflow


@receiver(post_revision_commit)
def record_saved_pages(sender, revision, versions, **kwargs):
    for page in pages_changed_by(versions):
        workflow.record_change(page, revision.user)


def pages_changed_by(versions) -> list[Condition]:
    ids = defaultdict(set)
    for version in versions:
        ids[version._model].add(version.object_id)
    pages = set()
    for model, pks in ids.items():
        pages |= set(_page_ids(model, pks))
    return list(Condition.objects.filter(pk__in=pages).order_by("pk"))


def _page_ids(model, pks):
    if model is Condition:
        return [int(pk) for pk in pks]
    if issubclass(model, ConditionPart):
        return model._default_manager.filter(pk__in=pks).values_list("condition_id", flat=True)
    if model is Reference:
        return Condition.objects.filter(references__in=pks).values_list("pk", flat=True)
    if model is Treatment:
        return Condition.objects.filter(condition_treatments__treatment__in=pks).values_list(
            "pk", flat=True
        )
    return []
