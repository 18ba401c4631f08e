from django.contrib import admin

from feedback.models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """The editors' triage queue. What the reader wrote is read-only and shown as plain text."""

    list_display = ["received_at", "page_title", "kind", "status", "attached_to_review"]
    list_filter = ["status", "kind", "attached_to_review"]
    search_fields = ["page_title", "message"]
    date_hierarchy = "received_at"
    readonly_fields = ["publication", "page_title", "kind", "message", "contact", "received_at"]
    fieldsets = [
        (
            "What the reader sent",
            {"fields": ["page_title", "publication", "kind", "message", "contact", "received_at"]},
        ),
        ("Triage", {"fields": ["status", "attached_to_review", "reply_note"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("publication")

    def has_add_permission(self, request):
        return False  # reports come from readers only

    def save_model(self, request, obj, form, change):
        obj.handled_by = request.user
        super().save_model(request, obj, form, change)
