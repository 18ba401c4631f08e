"""The "Your time zone" screen of the admin: each staff member sets their own zone."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse

from reviews import time_zones


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        help_text="Times in the admin are shown in this zone, and times you type are read in it.",
        error_messages={"invalid_choice": "Choose a time zone from the list."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = time_zones.zone_choices()


def time_zone_view(request):
    if request.method == "POST":
        form = TimeZoneForm(request.POST)
        if form.is_valid():
            try:
                time_zones.set_zone(request.user, form.cleaned_data["time_zone"])
            except ValidationError as error:
                form.add_error("time_zone", error.messages)
            else:
                messages.success(
                    request, f"Your time zone is now {form.cleaned_data['time_zone']}."
                )
                return HttpResponseRedirect(reverse("staff_time_zone"))
    else:
        form = TimeZoneForm(initial={"time_zone": time_zones.zone_name_of(request.user)})
    context = {
        **admin.site.each_context(request),
        "title": "Your time zone",
        "form": form,
        "site_zone": settings.TIME_ZONE,
    }
    return TemplateResponse(request, "admin/reviews/time_zone.html", context)
