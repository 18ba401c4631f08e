"""Admin saves that change nothing record nothing; a restore from history always records."""

# Set on a request that reverts or recovers a version from the admin's history.
RESTORING = "restoring_version"


class UnchangedSaveMixin:
    """A save that changes nothing records nothing: no revision, no author of a change.

    django-reversion records a revision for every save, changed or not, and the workflow
    reads revisions to know who changed a page. Covers the change form and the list's bulk
    edit alike, which both save through save_model.

    A revert or recovery is the exception: django-reversion writes the old version before the
    form is shown, so the form is unchanged, yet the content is not what it was. It is saved,
    and so recorded as a change by the person who restored it.
    """

    def save_model(self, request, obj, form, change):
        if not change or form.has_changed() or getattr(request, RESTORING, False):
            super().save_model(request, obj, form, change)

    def revision_view(self, request, *args, **kwargs):
        setattr(request, RESTORING, True)
        return super().revision_view(request, *args, **kwargs)

    def recover_view(self, request, *args, **kwargs):
        setattr(request, RESTORING, True)
        return super().recover_view(request, *args, **kwargs)
