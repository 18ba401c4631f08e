from django.contrib import admin
from reversion.admin import VersionAdmin

from reviews.models import Physician, Publication, ReviewEvent, SignOff


@admin.register(Physician)
class PhysicianAdmin(VersionAdmin):
    list_display = ["signature", "user", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["display_name", "user__username", "user__email"]
    autocomplete_fields = ["user"]


class RecordAdmin(admin.ModelAdmin):
    """Sign-offs and publications are records: readable, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignOff)
class SignOffAdmin(RecordAdmin):
    list_display = ["signature", "content_object", "signed_at", "digest"]
    list_filter = ["physician"]
    readonly_fields = [
        "content_type",
        "object_id",
        "physician",
        "signature",
        "meaning",
        "note",
        "signed_at",
        "digest",
        "document",
    ]


@admin.register(Publication)
class PublicationAdmin(RecordAdmin):
    list_display = ["title", "slug", "published_at", "published_by", "sign_off"]
    search_fields = ["title", "slug"]
    readonly_fields = [
        "content_type",
        "object_id",
        "slug",
        "title",
        "sign_off",
        "published_at",
        "published_by",
        "digest",
        "document",
    ]


@admin.register(ReviewEvent)
class ReviewEventAdmin(RecordAdmin):
    list_display = ["at", "kind", "content_object", "actor", "note"]
    list_filter = ["kind"]
    readonly_fields = ["content_type", "object_id", "kind", "actor", "digest", "note", "at"]
