from django import forms
from django.contrib import admin, messages
from django.db import models

from webhooks.models import EVENT_TYPES, Delivery, Endpoint
from webhooks.tasks import resend


class EventsField(forms.MultipleChoiceField):
    """The events an endpoint receives as one checkbox each, stored as the list of names in
    the order they are listed; none checked means every event."""

    def __init__(self, **kwargs):
        super().__init__(
            # Named as partners subscribe by them, with what each means.
            choices=[(name, f"{name}: {meaning}") for name, meaning in EVENT_TYPES],
            required=False,
            # radiolist: the admin's own style for a list of choices (as radio_fields use it).
            widget=forms.CheckboxSelectMultiple(attrs={"class": "radiolist"}),
            help_text="The events to send to this endpoint; none checked sends every event.",
            **kwargs,
        )

    def clean(self, value) -> list[str]:
        checked = set(super().clean(value))
        return [name for name, _ in EVENT_TYPES if name in checked]


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "partner", "events", "enabled", "disabled_at", "failing_since"]
    list_filter = ["enabled", "partner"]
    readonly_fields = ["disabled_at", "failing_since", "created_at"]
    actions = ["rotate_secret"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "events":
            return EventsField(label=db_field.verbose_name.capitalize())
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            self._show_secret(request, obj)

    @admin.action(description="Rotate the signing secret of the selected endpoints")
    def rotate_secret(self, request, queryset):
        for endpoint in queryset:
            endpoint.rotate_secret()
            self._show_secret(request, endpoint)

    def _show_secret(self, request, endpoint):
        messages.warning(
            request,
            f"Signing secret of {endpoint.url} (shown only now; give it to the partner): "
            f"{endpoint.secret}",
        )


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "event",
        "endpoint_url",
        "status",
        "attempts",
        "response_code",
        "last_attempt_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "event_type", "endpoint__partner"]
    readonly_fields = [field.name for field in Delivery._meta.fields]
    actions = ["resend"]

    @admin.display(description="event", ordering="event_type")
    def event(self, delivery):
        return delivery.event_type  # the name partners subscribe by: page.published

    @admin.display(description="endpoint", ordering="endpoint__url")
    def endpoint_url(self, delivery):
        return delivery.endpoint.url

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("endpoint")

    def has_add_permission(self, request):
        return False  # the worker alone writes deliveries

    def has_delete_permission(self, request, obj=None):
        return False  # the record of what a partner was sent

    @admin.action(
        description="Resend the selected deliveries (same webhook-id)", permissions=["view"]
    )
    def resend(self, request, queryset):
        for delivery in queryset.select_related("endpoint"):
            resend(delivery)
        messages.success(request, f"Queued {queryset.count()} deliveries again.")
