from django.contrib import admin
from reversion.admin import VersionAdmin

from references.models import Reference


@admin.register(Reference)
class ReferenceAdmin(VersionAdmin):
    list_display = ["citekey", "first_author", "year", "journal", "pmid", "doi"]
    list_filter = ["year"]
    search_fields = ["citekey", "authors", "title", "pmid", "doi", "journal"]
    fieldsets = [
        (None, {"fields": ["citekey", "authors", "title"]}),
        ("Source", {"fields": ["journal", "year", "volume", "issue", "pages"]}),
        ("Identifiers", {"fields": ["pmid", "doi"]}),
        (None, {"fields": ["note"]}),
    ]
