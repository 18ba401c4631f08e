from django.contrib import admin
from django.utils.html import format_html, format_html_join
from reversion.admin import VersionAdmin

from references.admin_import import ReferenceImportMixin
from references.citekeys import rename_citekey
from references.models import Reference
from references.usage import citations_of
from tovani.unchanged_saves import UnchangedSaveMixin


@admin.register(Reference)
class ReferenceAdmin(ReferenceImportMixin, UnchangedSaveMixin, VersionAdmin):
    list_display = ["citekey", "first_author", "year", "journal", "pmid", "doi", "retracted"]
    list_filter = ["retracted", "year"]
    search_fields = ["citekey", "authors", "title", "pmid", "doi", "pmcid", "journal"]
    readonly_fields = ["cited_by"]
    fieldsets = [
        (None, {"fields": ["citekey", "authors", "title"]}),
        ("Source", {"fields": ["journal", "year", "volume", "issue", "pages"]}),
        ("Identifiers", {"fields": ["pmid", "doi", "pmcid"]}),
        (None, {"fields": ["note"]}),
        ("Retraction", {"fields": ["retracted", "retraction_notice"]}),
        ("Cited by", {"fields": ["cited_by"]}),
    ]

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
