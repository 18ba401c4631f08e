"""Optimistic locking: refuse a save based on a version of the page someone has since replaced.

The edit token is the id of the newest django-reversion version of the object when the form was
opened. Every save through the admin or a workflow-aware command makes a new version, so a
different newest version means someone else saved in between.
"""

from django import forms
from django.utils import formats, timezone
from reversion.models import Version


def edit_token(obj) -> str:
    newest = Version.objects.get_for_object(obj).values_list("pk", flat=True).first()
    return str(newest or 0)


def conflicting_version(obj, token: str) -> Version | None:
    """The version someone else saved after the one the token names, or None."""
    # Lock the row so two saves of the same page cannot both pass this check.
    type(obj)._default_manager.select_for_update().filter(pk=obj.pk).first()
    newest = Version.objects.get_for_object(obj).select_related("revision__user").first()
    if newest is None or str(newest.pk) == token:
        return None
    return newest


class OptimisticLockForm(forms.ModelForm):
    """A model form that refuses to overwrite changes saved since it was opened."""

    edit_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["edit_token"].initial = edit_token(self.instance)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        newer = conflicting_version(self.instance, self.cleaned_data.get("edit_token") or "")
        if newer is not None:
            # The next save is a deliberate overwrite: the form now carries the newest token.
            self.data = self.data.copy()
            self.data[self.add_prefix("edit_token")] = str(newer.pk)
            revision = newer.revision
            who = revision.user.get_username() if revision.user else "someone"
            when = formats.date_format(timezone.localtime(revision.date_created), "F j, Y, H:i")
            raise forms.ValidationError(
                f"{who} saved this page on {when}, after you opened it. Nothing was saved: your "
                "changes are still in this form. Open the page in another tab to see theirs; "
                "saving this form again replaces them with yours (theirs stay in the history).",
                code="edit_conflict",
            )
        return cleaned
