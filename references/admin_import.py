"""The admin's import screens: enter PMIDs or give a file, see what was found, confirm.

Nothing is saved until the editor confirms the preview; the confirmation carries the previewed
records, signed, so it saves exactly what was shown.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from references.errors import ImportFormatError, PubMedUnavailable
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
            back = {"text": data["text"], "format": data.get("format") or ""}
            return self._preview(request, data["parsed"], "a file", [], back)
        return self._form_page(request, form, "a file")

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
        if not self.has_add_permission(request):
            raise PermissionDenied

    def _page(self, request, template, **context):
        title = f"Import references from {context['source']}"
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, **context}
        return TemplateResponse(request, template, {**context, "title": title})
