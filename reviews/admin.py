from django.contrib import admin
from reversion.admin import VersionAdmin

from reviews.models import Physician, Publication, ReviewEvent, SignOff


@admin.register(Physician)
class PhysicianAdmin(VersionAdmin):
    """Administrators manage physicians; a physician may edit their own public profile."""

    list_display = ["signature", "user", "specialty", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["display_name", "user__username", "user__email"]
    autocomplete_fields = ["user"]
    prepopulated_fields = {"slug": ["display_name"]}
    fieldsets = [
        (
            "The review stamp",
            {"fields": ["user", "display_name", "credentials", "spanish_honorific", "is_active"]},
        ),
        (
            "Public profile",
            {
                "description": "Shown on the public site under /reviewers/. Leave unknown "
                "facts empty: the profile shows only what is filled in.",
                "fields": [
                    "slug",
                    "specialty",
                    "license_state",
                    "license_number",
                    "npi",
                    "biography",
                    "disclosures",
                ],
            },
        ),
    ]
    # What a physician may not change of their own record: the stamp and who they are.
    STAMP_FIELDS = ["user", "display_name", "credentials", "spanish_honorific", "is_active", "slug"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or self._is_own(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if super().has_change_permission(request, obj):
            return []
        return self.STAMP_FIELDS

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if obj is None else {}

    @staticmethod
    def _is_own(request, obj):
        return obj is not None and obj.user_id == request.user.pk


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
        "change_summary",
        "clinically_significant",
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
    readonly_fields = [
        "content_type",
        "object_id",
        "kind",
        "actor",
        "digest",
        "note",
        "change_summary",
        "clinically_significant",
        "at",
    ]
