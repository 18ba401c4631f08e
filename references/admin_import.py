"""The admin's import screens: enter PMIDs or give a file, see what was found, confirm.

Nothing is saved until the editor confirms the preview; the confirmation carries the previewed
records, signed, so it saves exactly what was shown. A file too large to preview at once
becomes a background import (references/import_jobs.py) with a status page of its own, where
the editor confirms what its check found.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from references import import_jobs
from references.errors import ImportFormatError, ImportJobError, PubMedUnavailable
from references.forms import ConfirmImportForm, FileImportForm, PubMedImportForm
from references.importers.pubmed import fetch_pubmed
from references.importers.saving import preview_import, save_imported


class ReferenceImportMixin:
    change_list_template = "admin/references/reference/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/pubmed/", view(self.import_pubmed_view), name="references_import_pubmed"),
            path("import/file/", view(self.import_file_view), name="references_import_file"),
            *super().get_urls(),
        ]

    def import_pubmed_view(self, request):
        self._check_may_import(request)
        if "payload" in request.POST:
            return self._confirm(request, "references_import_pubmed")
        if "back" in request.POST:
            form = PubMedImportForm(initial={"pmids": request.POST.get("pmids", "")})
            return self._form_page(request, form, "PubMed")
        form = PubMedImportForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = fetch_pubmed(form.cleaned_data["pmids"])
            except PubMedUnavailable as error:
                form.add_error(None, str(error))
            else:
                notes = [f"PubMed has no record of PMID {pmid}." for pmid in result.missing]
                back = {"pmids": request.POST["pmids"]}
                return self._preview(request, result.found, "PubMed", notes, back)
        return self._form_page(request, form, "PubMed")

    def import_file_view(self, request):
        self._check_may_import(request)
        if "payload" in request.POST:
            return self._confirm(request, "references_import_file")
        if "back" in request.POST:
            kept = {name: request.POST.get(name, "") for name in ("text", "format")}
            return self._form_page(request, FileImportForm(initial=kept), "a file")
        form = FileImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            if data["background"]:
                return self._start_in_background(request, data)
            back = {"text": data["text"], "format": data.get("format") or ""}
            return self._preview(request, data["parsed"], "a file", [], back)
        return self._form_page(request, form, "a file")

    def _start_in_background(self, request, data):
        upload = data["file"]
        job = import_jobs.start_import(
            data["text"],
            name=upload.name,
            size=upload.size,
            fmt=data.get("format") or None,
            user=request.user,
        )
        return redirect("admin:references_referenceimport_change", job.pk)

    def _form_page(self, request, form, source):
        return self._page(request, "admin/references/import_form.html", form=form, source=source)

    def _preview(self, request, parsed, source, notes, back):
        report = preview_import(parsed)
        return self._page(
            request,
            "admin/references/import_preview.html",
            report=report,
            notes=notes,
            source=source,
            back=back,
            confirm=ConfirmImportForm(initial={"payload": ConfirmImportForm.sign(parsed)}),
            blocked=report.refused,
        )

    def _confirm(self, request, start_again):
        form = ConfirmImportForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["payload"]))
            return redirect(f"admin:{start_again}")
        try:
            report = save_imported(form.cleaned_data["payload"], user=request.user)
        except ImportFormatError as error:
            messages.error(request, f"Nothing was imported. {' '.join(error.problems)}")
            return redirect(f"admin:{start_again}")
        messages.success(request, f"Imported: {report.summary()}")
        for warning in report.warnings:
            messages.warning(request, warning)
        return redirect("admin:references_reference_changelist")

    def _check_may_import(self, request):
        if not import_jobs.may_import(request.user):
            raise PermissionDenied

    def _page(self, request, template, **context):
        title = f"Import references from {context['source']}"
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, **context}
        return TemplateResponse(request, template, {**context, "title": title})


class ReferenceImportAdmin(admin.ModelAdmin):
    """Background imports: a read-only list, and each one's status page, where a checked file
    is confirmed or discarded. Nobody adds, changes or deletes them here."""

    list_display = ["file_name", "state", "started_by", "created_at", "outcome"]
    list_filter = ["state"]
    REFRESH_SECONDS = 5  # how often the status page of a queued or running job reloads

    def get_queryset(self, request):
        return self.model.objects.summaries()

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:job_id>/confirm/", view(self.confirm_view), name=_url_name("confirm")),
            path("<int:job_id>/discard/", view(self.discard_view), name=_url_name("discard")),
            *super().get_urls(),
        ]

    def has_view_permission(self, request, obj=None):
        return import_jobs.may_import(request.user)

    def has_add_permission(self, request):
        return False  # an upload on the import screen starts one

    def has_change_permission(self, request, obj=None):
        return False  # the task alone records what happened

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what was imported, by whom

    @admin.display(description="outcome")
    def outcome(self, job):
        return "" if job.in_progress else job.outcome_summary()

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "Imports of large reference files", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        if job is None:
            raise Http404
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Import of {job.file_name}",
            "job": job,
            "refresh_seconds": self.REFRESH_SECONDS if job.in_progress else None,
            "confirm_days": settings.REFERENCE_IMPORT_CONFIRM_DAYS,
        }
        return TemplateResponse(request, "admin/references/referenceimport/status.html", context)

    def confirm_view(self, request, job_id):
        return self._step(request, job_id, import_jobs.confirm)

    def discard_view(self, request, job_id):
        return self._step(request, job_id, import_jobs.discard)

    def _step(self, request, job_id, step):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            step(job_id, request.user)
        except self.model.DoesNotExist:
            raise Http404 from None
        except ImportJobError as error:
            messages.error(request, str(error))
        return redirect(f"admin:{_url_name('change')}", job_id)


def _url_name(view):
    return f"references_referenceimport_{view}"
