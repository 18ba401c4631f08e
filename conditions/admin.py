from django.contrib import admin, messages
from django.db import models
from django.forms import Textarea
from reversion.admin import VersionAdmin

from conditions.admin_references import ReferenceCheckMixin
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
from reviews import workflow
from reviews.admin_workflow import WorkflowAdminMixin
from reviews.errors import WorkflowError


class OrderedInline:
    extra = 0
    ordering = ["sort_order", "pk"]
    # Parts are short: a few lines each keeps the whole page in view while editing.
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 4, "cols": 80})}}


class ClinicalCodeInline(OrderedInline, admin.TabularInline):
    model = ClinicalCode
    fields = ["sort_order", "system", "code", "qualifier"]


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


class ConditionTreatmentInline(OrderedInline, admin.StackedInline):
    model = ConditionTreatment
    fields = ["sort_order", "treatment", "line_of_therapy", "description"]
    autocomplete_fields = ["treatment"]


class FAQInline(OrderedInline, admin.StackedInline):
    model = FAQ
    fields = ["sort_order", "question", "answer"]


@admin.register(Condition)
class ConditionAdmin(ReferenceCheckMixin, WorkflowAdminMixin, VersionAdmin):
    public_template = "conditions/detail.html"
    actions = ["submit_for_review"]
    list_display = ["title", "slug", "clinic_indication_status", "updated_at"]
    list_filter = ["clinic_indication_status"]
    search_fields = ["title", "slug", "summary", "search_phrases__phrase", "codes__code"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["references"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "page_label", "summary", "evidence_reviewed_through"]}),
        (
            "Clinical text",
            {"fields": ["clinical_definition", "standard_treatments_fail", "ketamine_fit"]},
        ),
        (
            "The clinic",
            {"fields": ["clinic_indication_status", "clinic_fit", "regulatory_notice"]},
        ),
        ("References", {"fields": ["references", "reference_check"]}),
    ]
    readonly_fields = ["reference_check"]
    inlines = [
        ClinicalCodeInline,
        SearchPhraseInline,
        KeyPointInline,
        ComparisonInline,
        ConditionTreatmentInline,
        FAQInline,
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.attach_cited_references()

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
class TreatmentAdmin(VersionAdmin):
    list_display = ["name", "kind", "slug"]
    list_editable = ["kind"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
