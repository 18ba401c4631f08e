"""Forms and widgets of the condition editor.

The order fields are hidden: rows are ordered by dragging (or with the arrow keys on a row's
handle) and the script writes the numbers. A treatment is picked from the library or named new in
the page's own form, so it is created with the page's save and never without it.
"""

from django import forms
from django.utils.text import slugify

from conditions.models import ConditionTreatment, Treatment, TreatmentKind


class MarkdownTextarea(forms.Textarea):
    """A Markdown text area that offers citekeys from the library after “[@”."""

    def __init__(self, attrs=None):
        super().__init__({"rows": 4, "cols": 80, "data-citations": "", **(attrs or {})})


class OrderedPartForm(forms.ModelForm):
    """A new row whose order alone changed is still blank: skipped like any untouched extra
    row. A saved row moved to another place is a change, and is saved."""

    def has_changed(self):
        if self.instance.pk is not None:
            return super().has_changed()
        return any(name != "sort_order" for name in self.changed_data)


class ConditionTreatmentForm(OrderedPartForm):
    new_treatment_name = forms.CharField(
        label="or a new treatment",
        required=False,
        max_length=200,
        help_text="Not in the library yet? Name it here: it is created when this page saves.",
    )
    new_treatment_kind = forms.ChoiceField(
        label="its kind",
        required=False,
        choices=[("", "---------"), *TreatmentKind.choices],
    )
    new_treatment_summary = forms.CharField(
        label="its shared summary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="What the treatment is, in a sentence or two: every page that lists it "
        "shows this summary.",
    )

    class Meta:
        model = ConditionTreatment
        fields = ["sort_order", "treatment", "line_of_therapy", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["treatment"].required = False
        self.fields["treatment"].help_text = "Pick a treatment from the library."

    def clean(self):
        cleaned = super().clean()
        treatment = cleaned.get("treatment")
        name = (cleaned.get("new_treatment_name") or "").strip()
        if treatment and name:
            self.add_error(
                "new_treatment_name",
                f"Pick “{treatment}” or name a new treatment, not both.",
            )
        elif not treatment and not name and "treatment" not in self.errors:
            self.add_error("treatment", "Pick a treatment, or name a new one below.")
        elif name:
            self._check_new_treatment(name, cleaned)
        return cleaned

    def _check_new_treatment(self, name, cleaned):
        existing = Treatment.objects.filter(name__iexact=name).first()
        if existing is not None:
            self.add_error(
                "new_treatment_name",
                f"“{existing}” is already in the library: pick it above.",
            )
        if not cleaned.get("new_treatment_kind"):
            self.add_error("new_treatment_kind", f"Say what kind of treatment “{name}” is.")

    def save(self, commit=True):
        name = (self.cleaned_data.get("new_treatment_name") or "").strip()
        if name:
            self.instance.treatment = Treatment.objects.create(
                name=name,
                slug=_free_slug(name),
                kind=self.cleaned_data["new_treatment_kind"],
                summary=self.cleaned_data.get("new_treatment_summary", "").strip(),
            )
        return super().save(commit)


def _free_slug(name: str) -> str:
    base = slugify(name)[:110] or "treatment"
    slug, n = base, 1
    while Treatment.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
