"""The evidence watch in the admin: saved searches, each page's inbox, findings and runs.

The screens call evidence.inbox.decide() and evidence.dismissal.dismiss(), which hold the rules.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from evidence import corrections, dismissal, inbox, status
from evidence.errors import EvidenceError
from evidence.forms import DecisionForm, DismissForm
from evidence.models import EditorTask, Finding, InboxRecord, SavedSearch, WatchRun


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["condition", "terms", "starts_from"]
    fields = [
        "condition",
        "terms",
        ("trials", "meta_analyses", "systematic_reviews", "guidelines"),
        "starts_from",
    ]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/inbox/", view(self.inbox_view), name="evidence_savedsearch_inbox"),
            path(
                "<int:pk>/inbox/<int:record_id>/",
                view(self.decide_view),
                name="evidence_savedsearch_decide",
            ),
            *super().get_urls(),
        ]

    def inbox_view(self, request, pk):
        search = get_object_or_404(SavedSearch.objects.select_related("condition"), pk=pk)
        if not self.has_view_permission(request, search):
            raise PermissionDenied
        records = search.records.select_related("run", "decided_by", "reference")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Evidence inbox: {search.condition}",
            "search": search,
            "waiting": [r for r in records if not r.screened],
            "screened": [r for r in records if r.screened],
            "through": status.reviewed_through(search.condition),
            "may_decide": inbox.may_screen(request.user),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/evidence/inbox.html", context)

    def decide_view(self, request, pk, record_id):
        record = get_object_or_404(InboxRecord, pk=record_id, search_id=pk)
        form = DecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                inbox.decide(
                    record,
                    request.user,
                    form.cleaned_data["decision"],
                    import_reference=form.cleaned_data["import_reference"],
                )
            except EvidenceError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"PMID {record.pmid}: {_label(form)}.")
        return redirect(reverse("admin:evidence_savedsearch_inbox", args=[pk]))


def _label(form) -> str:
    return dict(InboxRecord.Decision.choices)[form.cleaned_data["decision"]].lower()


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["reference", "kind", "severity", "source", "found_at", "dismissed_at"]
    list_filter = ["kind", "severity"]
    readonly_fields = [f.name for f in Finding._meta.fields]

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/dismiss/", view(self.dismiss_view), name="evidence_finding_dismiss"),
            path(
                "<int:pk>/import-newer-version/",
                view(self.import_view),
                name="evidence_finding_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request, pk):
        finding = get_object_or_404(Finding, pk=pk, kind=Finding.Kind.UPDATED)
        if request.method != "POST" or not inbox.may_import(request.user):
            raise PermissionDenied
        try:
            reference = inbox.import_replacement(finding, request.user)
        except EvidenceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"PMID {finding.notice_pmid} is in the library as @{reference.citekey}: cite it "
                f"in place of @{finding.reference.citekey}.",
            )
        return redirect("admin:index")

    def dismiss_view(self, request, pk):
        finding = get_object_or_404(Finding.objects.select_related("reference"), pk=pk)
        if not dismissal.may_consider(request.user):
            raise PermissionDenied
        form = DismissForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                dismissal.dismiss(
                    finding,
                    request.user,
                    form.cleaned_data["password"],
                    form.cleaned_data["reason"],
                    request=request,
                )
            except EvidenceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Dismissed: {finding}.")
                return redirect("admin:index")
        context = {
            **self.admin_site.each_context(request),
            "title": f"Dismiss: {finding}",
            "finding": finding,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/evidence/dismiss.html", context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EditorTask)
class EditorTaskAdmin(admin.ModelAdmin):
    list_display = ["__str__", "content_object", "created_at", "done_at", "done_by"]
    fields = ["finding", "done_at", "done_by"]
    readonly_fields = fields
    actions = ["mark_done"]

    def has_check_permission(self, request):
        return corrections.may_check(request.user)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Mark the corrections checked", permissions=["check"])
    def mark_done(self, request, queryset):
        done = corrections.mark_checked(queryset, request.user)
        messages.success(request, f"{done} correction{'s' if done != 1 else ''} checked.")

    def has_add_permission(self, request):
        return False


@admin.register(WatchRun)
class WatchRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "status", "references", "efetch_calls", "crossref_calls"]
    readonly_fields = [f.name for f in WatchRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
