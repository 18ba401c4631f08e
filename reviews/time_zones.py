"""Each staff member's time zone: every time the admin shows or reads is in it.

A staff member picks their zone on "Your time zone" (the admin's user menu); without one, the
site's TIME_ZONE applies. StaffTimeZoneMiddleware activates it for signed-in staff on the admin's
pages only: the public site and its cached pages stay in the site's zone, the same for everyone.
Django's forms read a typed date and time in the active zone, so "Go live at 09:00" typed in
Chicago is stored as 15:00 UTC, and templates show stored instants back in it.
"""

import functools
import zoneinfo

from django.conf import settings
from django.urls import NoReverseMatch, get_urlconf, reverse
from django.utils import timezone

from reviews.models import StaffProfile


def zone_name_of(user) -> str:
    """The zone user reads and types times in: their own choice, or the site's."""
    if user is None or not user.is_authenticated:
        return settings.TIME_ZONE
    chosen = StaffProfile.objects.filter(user=user).values_list("time_zone", flat=True).first()
    return chosen or settings.TIME_ZONE


def set_zone(user, name: str) -> StaffProfile:
    """Record user's time zone; a name that is no zone is refused naming the field."""
    profile = StaffProfile(user=user, time_zone=name.strip())
    profile.full_clean(validate_unique=False)
    profile.save()
    return profile


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class StaffTimeZoneMiddleware:
    """Activate a signed-in staff member's zone for the admin's pages, and only for those."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            is_admin_path(request.path)  # first: a public page never loads its visitor
            and user is not None
            and user.is_authenticated
            and user.is_staff
        ):
            timezone.activate(zoneinfo.ZoneInfo(zone_name_of(user)))
            try:
                return self.get_response(request)
            finally:
                timezone.deactivate()
        return self.get_response(request)


def is_admin_path(path: str) -> bool:
    """Whether path is under the admin (False where the URLconf has none, as some tests')."""
    prefix = _admin_prefix(get_urlconf() or settings.ROOT_URLCONF)
    return prefix is not None and path.startswith(prefix)


@functools.cache
def _admin_prefix(urlconf) -> str | None:
    # Asked on every request, public pages included: reversing each time costs a page ~1%.
    try:
        return reverse("admin:index", urlconf=urlconf)
    except NoReverseMatch:
        return None
