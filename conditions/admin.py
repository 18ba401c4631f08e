import reversion
from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Prefetch, prefetch_related_objects
from django.forms import BaseInlineFormSet, Textarea
from django.utils.html import format_html
from reversion.admin import VersionAdmin

from conditions.admin_editor import EditorAdminMixin, treatment_sharing
from conditions.admin_forms import ConditionTreatmentForm, MarkdownTextarea, OrderedPartForm
from conditions.admin_references import ReferenceCheckMixin
from conditions.admin_sections import FIELDSETS
from conditions.documents import TABLE_SECTIONS, seed_with_parts, shown_rows
from conditions.fields import MarkdownField
from conditions.models import (
    FAQ,
    ClinicalCode,
    Comparison,
    Condition,
    ConditionTreatment,
    KeyPoint,
    SearchPhrase,
    Treatment,
)
from conditions.shared_parts import live_pages_showing
from references.models import Reference
from reviews import workflow
from reviews.admin_workflow import ReviewStateFilter, WorkflowAdminMixin
from reviews.errors import WorkflowError
from tovani.read_once import once, sharing
from tovani.unchanged_saves import UnchangedSaveMixin

TABLE_HELP = (
    "Markdown: **bold**, *italic*, lists, [links](https://…). Cite references as [@citekey] "
    "or [@key1; @key2]. A table: a line “Table: what it shows”, a blank line, then rows "
    "of cells between | bars, the second row | --- | --- |."
)


class NamedDeleteFormSet(BaseInlineFormSet):
    """A row's delete box says which row it deletes: in a table it has no label of its own.

    On a screen that only reads (tovani.read_once), a page's rows are those its document was
    built from: one read of each part serves both."""

    def get_queryset(self):
        if not hasattr(self, "_queryset") and self.instance.pk and sharing():
            rows = shown_rows(self.instance, self.fk.remote_field.get_accessor_name())
            if rows is not None:
                self._queryset = rows
        return super().get_queryset()

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            noun = self.model._meta.verbose_name
            where = "new row" if index is None else f"row {index + 1}"
            form.fields["DELETE"].widget.attrs["aria-label"] = f"Delete {noun} {where}"


class OrderedInline:
    """Rows ordered by dragging: the order field is hidden and the editor's script fills it."""

    form = OrderedPartForm
    formset = NamedDeleteFormSet
    ordering = ["sort_order", "pk"]
    # Parts are short: a few lines each keeps the whole page in view while editing.
    formfield_overrides = {
        models.TextField: {"widget": Textarea(attrs={"rows": 4, "cols": 80})},
        MarkdownField: {"widget": MarkdownTextarea},
    }

    def get_extra(self, request, obj=None, **kwargs):
        # A new page opens with a blank row in each part, ready to type into.
        return 1 if obj is None else 0

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "sort_order":
            kwargs["widget"] = forms.HiddenInput(attrs={"data-order": ""})
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(self, admin.TabularInline):
            # A table's column heading is no label for a screen reader: name each input.
            label = f"{self.model._meta.verbose_name}: {field.label or db_field.verbose_name}"
            field.widget.attrs.setdefault("aria-label", label)
        return field


class ClinicalCodeInline(OrderedInline, admin.TabularInline):
    model = ClinicalCode
    fields = ["sort_order", "system", "code", "qualifier", "lookup_only"]


class SearchPhraseInline(OrderedInline, admin.TabularInline):
    model = SearchPhrase
    fields = ["sort_order", "phrase"]


class KeyPointInline(OrderedInline, admin.StackedInline):
    model = KeyPoint
    fields = ["sort_order", "text"]


class ComparisonInline(OrderedInline, admin.StackedInline):
    model = Comparison
    fk_name = "condition"
    fields = ["sort_order", "name", "related_condition", "text"]
    # Search as you type: a select would list every page of the library in every row.
    autocomplete_fields = ["related_condition"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("related_condition")


class ConditionTreatmentInline(OrderedInline, admin.StackedInline):
    model = ConditionTreatment
    form = ConditionTreatmentForm
    fields = [
        "sort_order",
        "treatment",
        ("new_treatment_name", "new_treatment_kind"),
        "new_treatment_summary",
        "shared_summary",
        "line_of_therapy",
        "description",
    ]
    readonly_fields = ["shared_summary"]
    autocomplete_fields = ["treatment"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "treatment":
            # No pop-up: a pop-up saves a treatment even when the page's save then fails.
            for ability in ("add", "change", "delete", "view"):
                setattr(field.widget, f"can_{ability}_related", False)
        return field

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("treatment")

    @admin.display(description="shared summary")
    def shared_summary(self, obj):
        if obj is None or obj.treatment_id is None:
            return format_html('<div class="shared-summary" data-shared-summary>{}</div>', "")
        pages = pages_sharing_treatments(obj.condition_id).get(obj.treatment_id)
        sharing = treatment_sharing(obj.treatment, pages)
        return format_html(
            '<div class="shared-summary" data-shared-summary><p>{}</p><p class="shared-by">'
            'Shared: used by {} page{}. <a href="{}" target="_blank" rel="noopener">'
            "Edit the shared summary</a> (changes every page that lists it). What the "
            "treatment means for this page goes in the description below.</p></div>",
            sharing["summary"] or "No summary yet.",
            sharing["pages"],
            "" if sharing["pages"] == 1 else "s",
            sharing["change_url"],
        )


class FAQInline(OrderedInline, admin.StackedInline):
    model = FAQ
    fields = ["sort_order", "question", "answer"]


def pages_sharing_treatments(condition_id) -> dict:
    """How many pages list each treatment of this page: one query for all its rows (once a
    screen, tovani.read_once)."""

    def count():
        shown = ConditionTreatment.objects.filter(condition_id=condition_id).values("treatment")
        rows = ConditionTreatment.objects.filter(treatment__in=shown).values("treatment")
        counted = rows.annotate(pages=Count("condition", distinct=True))
        return dict(counted.values_list("treatment", "pages"))

    return once(("pages_sharing_treatments", condition_id), count)


@admin.register(Condition)
class ConditionAdmin(
    ReferenceCheckMixin, UnchangedSaveMixin, EditorAdminMixin, WorkflowAdminMixin, VersionAdmin
):
    public_template = "conditions/detail.html"
    actions = ["submit_for_review"]
    list_display = [
        "title",
        "slug",
        "clinic_indication_status",
        "review_state_column",
        "updated_at",
    ]
    list_filter = [ReviewStateFilter, "clinic_indication_status"]
    search_fields = ["title", "slug", "summary", "search_phrases__phrase", "codes__code"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["references"]  # search as you type: the library holds 100,000
    formfield_overrides = {MarkdownField: {"widget": MarkdownTextarea}}
    fieldsets = FIELDSETS
    readonly_fields = ["reference_check"]
    inlines = [
        ClinicalCodeInline,
        SearchPhraseInline,
        KeyPointInline,
        ComparisonInline,
        ConditionTreatmentInline,
        FAQInline,
    ]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and sharing():
            # The page read for the form is the one its document and status are built from.
            # Its references too: the form shows them, and the reference check reads them.
            prefetch_related_objects(
                [obj],
                *Condition.objects.with_parts()._prefetch_related_lookups,
                Prefetch("references", queryset=Reference.objects.order_by("citekey")),
            )
            seed_with_parts(obj)
        return obj

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        for name in TABLE_SECTIONS:
            if name in form.base_fields:
                form.base_fields[name].help_text = TABLE_HELP
        typed = form.base_fields.get("evidence_reviewed_through")
        if typed is not None and obj is not None and obj.has_saved_search():
            # The date comes from the page's evidence inbox at each sign-off; a typed one
            # would never show, so it cannot be typed (a disabled field ignores what is posted).
            typed.disabled = True
            typed.help_text = (
                "Computed, not typed: this page has a saved literature search, so the date is "
                "the day up to which its evidence inbox was screened when a physician signs it."
            )
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.attach_cited_references()
        parts_only = change and not form.has_changed() and any(f.has_changed() for f in formsets)
        # The live preview saves inside no revision (and rolls back): nothing to record there.
        if parts_only and reversion.is_active():
            # Only parts changed: the page's revision still records the whole page.
            reversion.add_to_revision(form.instance)

    @admin.action(description="Submit the selected pages for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        for condition in queryset:
            try:
                workflow.submit_for_review(condition, request.user)
            except WorkflowError as refusal:
                self.message_user(request, f"{condition}: {refusal}", messages.WARNING)
            else:
                self.message_user(request, f"{condition}: submitted for review.")


@admin.register(Treatment)
class TreatmentAdmin(UnchangedSaveMixin, VersionAdmin):
    change_form_template = "admin/conditions/treatment/change_form.html"
    list_display = ["name", "kind", "slug"]
    list_editable = ["kind"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Before saving, the editor sees which live pages the change sends back to review.
        treatment = self.get_object(request, object_id)
        pages = live_pages_showing(treatment) if treatment else []
        extra_context = {**(extra_context or {}), "live_pages_sent_back": pages}
        return super().change_view(request, object_id, form_url, extra_context)
