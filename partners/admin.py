from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from partners import usage
from partners.accounts import issue_key, revoke_key
from partners.models import Partner

KEYS_TEMPLATE = "admin/partners/partner/keys_issued.html"


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "contact_email",
        "key_prefix",
        "rate_limit_per_minute",
        "key_status",
        "requests",
        "last_counted_at",
    ]
    search_fields = ["name", "contact_name", "contact_email", "key_prefix"]
    fields = ["name", "contact_name", "contact_email", "rate_limit_per_minute"]
    readonly_fields = [
        "key_prefix",
        "key_issued_at",
        "revoked_at",
        "request_count",
        "last_counted_at",
        "created_at",
    ]
    actions = ["issue_new_keys", "revoke_keys"]

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [*self.fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def changelist_view(self, request, extra_context=None):
        usage.flush()
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        usage.flush()
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            request.issued_keys = [(obj, issue_key(obj))]

    def response_add(self, request, obj, post_url_continue=None):
        # The key is shown on this response only: never stored, never in a message cookie.
        return self._keys_page(request, request.issued_keys)

    @admin.display(description="key")
    def key_status(self, obj):
        return "active" if obj.is_active else f"revoked {obj.revoked_at:%Y-%m-%d}"

    @admin.display(description="requests")
    def requests(self, obj):
        return obj.request_count

    @admin.action(description="Issue a new key (the old key stops working)")
    def issue_new_keys(self, request, queryset):
        return self._keys_page(request, [(partner, issue_key(partner)) for partner in queryset])

    @admin.action(description="Revoke the key")
    def revoke_keys(self, request, queryset):
        revoked = [partner for partner in queryset if revoke_key(partner)]
        self.message_user(request, f"Revoked {len(revoked)} key(s).", messages.SUCCESS)

    def _keys_page(self, request, issued):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "API key issued",
            "issued": issued,
        }
        response = TemplateResponse(request, KEYS_TEMPLATE, context)
        add_never_cache_headers(response)
        return response
