"""Saved versions that point at rows deleted since, so they can be neither shown nor restored.

A revision stores each row with the ids it referred to. Reverting one whose treatment (or any
other referenced row) was deleted afterwards cannot succeed: the database refuses the foreign
key, or the page cannot be built. The timeline's compare and revert ask here first and explain.
"""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.db import models
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from reversion.models import Version


def missing_references(*versions: Version) -> list[str]:
    """“the treatment “Lithium””, for every row these versions' revisions point at that is gone."""
    missing = []
    for revision in {version.revision for version in versions}:
        for saved in revision.version_set.all():
            for target, pk in _references(saved):
                if not target._base_manager.filter(pk=pk).exists():
                    missing.append(_described(target, pk))
    return sorted(set(missing))


def refusal(missing: list[str], action: str) -> str:
    return (
        f"This version cannot be {action}: it uses {', '.join(missing)}, deleted since. "
        "Recover what was deleted first (from its list's “Recover deleted” page), then try again."
    )


def _references(saved: Version):
    """(model, pk) of every row one saved row refers to by foreign key or many-to-many."""
    model, values = saved._model, saved.field_dict
    for field in model._meta.get_fields():
        if not field.concrete or not field.is_relation or field.attname not in values:
            continue
        value = values[field.attname]
        pks = value if isinstance(field, models.ManyToManyField) else [value]
        for pk in pks or []:
            if pk is not None:
                yield field.related_model, pk


def _described(model, pk) -> str:
    deleted = Version.objects.get_deleted(model).filter(object_id=str(pk)).first()
    name = f"“{deleted.object_repr}”" if deleted else f"(id {pk})"
    return f"the {model._meta.verbose_name} {name}"


class RevertGuardMixin:
    """For a VersionAdmin: opening a version to revert explains a deleted reference, not a 500."""

    def revision_view(self, request, object_id, version_id, extra_context=None):
        version = get_object_or_404(Version, pk=version_id, object_id=unquote(object_id))
        missing = missing_references(version)
        if missing:
            messages.error(request, refusal(missing, "restored"))
            opts = self.opts
            history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_id])
            return HttpResponseRedirect(history)
        return super().revision_view(request, object_id, version_id, extra_context)
