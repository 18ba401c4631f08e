from django.contrib import admin
from django.http import JsonResponse
from django.urls import path
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin

from references.admin_import import ReferenceImportAdmin, ReferenceImportMixin
from references.citekeys import generate_citekey, rename_citekey
from references.forms import ReferenceForm
from references.importers.names import vancouver_from_text
from references.models import Reference, ReferenceImport
from references.usage import citations_of, pages_keeping
from tovani.unchanged_saves import UnchangedSaveMixin


@admin.register(Reference)
class ReferenceAdmin(ReferenceImportMixin, UnchangedSaveMixin, VersionAdmin):
    form = ReferenceForm
    list_display = ["citekey", "first_author", "year", "kind", "journal", "pmid", "doi"]
    list_display += ["retracted"]
    list_filter = ["kind", "retracted", "year"]
    search_fields = ["citekey", "authors", "title", "pmid", "doi", "pmcid", "journal"]
    search_fields += ["publisher", "book_title"]
    readonly_fields = ["cited_by"]
    fieldsets = [
        (None, {"fields": ["kind", "authors", "et_al", "year", "citekey", "title"]}),
        (
            "Source",
            {
                "fields": ["journal", "volume", "issue", "pages", "book_title", "editors"]
                + ["edition", "publisher"],
                "description": "A journal article needs its journal; a book its publisher; a "
                "chapter its book title and publisher; a thesis its university or URL; a web "
                "page its URL and the day it was read.",
            },
        ),
        ("Online", {"fields": ["url", "accessed"]}),
        ("Identifiers", {"fields": ["pmid", "doi", "pmcid"]}),
        (None, {"fields": ["note"]}),
        ("Retraction", {"fields": ["retracted", "retraction_notice"]}),
        ("Cited by", {"fields": ["cited_by"]}),
    ]

    class Media:
        # Suggests a citekey from the authors and the year as they are typed (a static file:
        # the admin's Content-Security-Policy allows no inline script).
        js = ["references/citekey-suggestion.js"]

    def get_urls(self):
        suggest = self.admin_site.admin_view(self.suggest_citekey_view)
        return [
            path("suggest-citekey/", suggest, name="references_suggest_citekey"),
            *super().get_urls(),
        ]

    def suggest_citekey_view(self, request):
        """The citekey a new reference by these authors in this year would get."""
        if not self.has_add_permission(request):
            return JsonResponse({"detail": "Not allowed."}, status=403)
        first = request.GET.get("authors", "").replace(";", ",").split(",")[0]
        year = request.GET.get("year", "").strip()
        author = vancouver_from_text(first)
        if not author or not (year.isdigit() and len(year) == 4):
            return JsonResponse({"citekey": ""})
        return JsonResponse({"citekey": generate_citekey([author], int(year))})

    @admin.display(description="pages citing it")
    def cited_by(self, obj):
        citations = citations_of(obj.citekey) if obj and obj.pk else []
        if not citations:
            return "No page cites this reference."
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a>: {}</li>',
                ((c.url, c.page, c.field) for c in citations),
            ),
        )

    def get_deleted_objects(self, objs, request):
        """A reference a live page or a page in review cites shows as protected, naming them
        (the delete screen and the list's bulk delete alike)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for reference in objs:
            protected += [
                f"@{reference.citekey} is cited by “{page}”, which is live or in review"
                for page in pages_keeping(reference.citekey)
            ]
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        if not (change and "citekey" in form.changed_data):
            return super().save_model(request, obj, form, change)
        old, new = form.initial["citekey"], obj.citekey
        obj.citekey = old
        rewritten = rename_citekey(obj, new, user=request.user)
        if rewritten:
            pages = sorted({citation.page for citation in rewritten})
            self.message_user(
                request,
                f"@{old} is now @{new}, rewritten in {len(rewritten)} text"
                f"{'s' if len(rewritten) != 1 else ''} of {', '.join(pages)}.",
            )


admin.site.register(ReferenceImport, ReferenceImportAdmin)
