"""Admin saves that change nothing record nothing."""


class UnchangedSaveMixin:
    """A save that changes nothing records nothing: no revision, no author of a change.

    django-reversion records a revision for every save, changed or not, and the workflow
    reads revisions to know who changed a page. Covers the change form and the list's bulk
    edit alike, which both save through save_model.
    """

    def save_model(self, request, obj, form, change):
        if not change or form.has_changed():
            super().save_model(request, obj, form, change)
