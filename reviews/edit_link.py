"""'Edit this page' on the public pages, for signed-in staff only, with pages the same for all.

Public pages are stored renderings served to everyone from shared caches, so no per-person link
can be in their HTML. Instead a condition page carries one small same-origin script
(static/site/edit-link.js, allowed by the site's CSP: script-src 'self'). The script asks this
endpoint, which is never cached, whether the visitor may edit the page at that path and where
its change screen is, and only then shows the link.

Anonymous readers never call it: the admin sets a hint cookie (STAFF_HINT_COOKIE, no secret in
it, readable by the script) on a staff member's admin pages and removes it when they sign out;
the script asks only when it is present. The answer always comes from the session and the
person's permissions, never from the hint; an answer of "no" clears a stale hint.
"""

from django.contrib import admin
from django.http import JsonResponse
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers

from reviews.models import LivePublication
from reviews.time_zones import is_admin_path

STAFF_HINT_COOKIE = "tovani_staff"


def edit_link(request):
    """{"edit_url": the change screen of the live page at ?path=, or null} for this visitor."""
    url = _change_url(request.user, request.GET.get("path", ""))
    response = JsonResponse({"edit_url": url, "label": "Edit this page" if url else None})
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    patch_vary_headers(response, ["Cookie"])
    if not (request.user.is_authenticated and request.user.is_staff):
        response.delete_cookie(STAFF_HINT_COOKIE)
    return response


def _change_url(user, path) -> str | None:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    try:
        slugs = _slugs_at(path, resolve(path).kwargs)
    except Resolver404:
        return None
    if not slugs:
        return None
    live_pages = LivePublication.objects.filter(slug__in=slugs).select_related("content_type")
    for live in live_pages.order_by("pk"):
        page = live.content_type.get_object_for_this_type(pk=live.object_id)
        if page.get_absolute_url() != path:
            continue
        meta = page._meta
        if type(page) not in admin.site._registry or not user.has_perm(
            f"{meta.app_label}.change_{meta.model_name}"
        ):
            return None
        try:
            return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[page.pk])
        except NoReverseMatch:
            return None
    return None


def _slugs_at(path: str, kwargs: dict) -> list[str]:
    """The slugs a live page at path may have: its URL's slug (a condition page), its last
    segment (an editorial statement, /about/disclosures/) or its segments joined by "-" (a
    translation, /es/conditions/ocd/ is es-conditions-ocd). Only a page whose own address is
    path counts, so a guess never names another page."""
    segments = [part for part in path.split("/") if part]
    if not segments:
        return []
    found = [kwargs.get("slug"), segments[-1], "-".join(segments)]
    return list(dict.fromkeys(slug for slug in found if slug))


class StaffHintMiddleware:
    """Keep the 'maybe staff' hint cookie in step with the admin session: set on a signed-in
    staff member's admin pages, removed on admin pages once they are signed out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_admin_path(request.path):
            return response
        user = getattr(request, "user", None)
        staff = user is not None and user.is_authenticated and user.is_staff
        if staff and STAFF_HINT_COOKIE not in request.COOKIES:
            response.set_cookie(STAFF_HINT_COOKIE, "1", samesite="Lax", secure=request.is_secure())
        elif not staff and STAFF_HINT_COOKIE in request.COOKIES:
            response.delete_cookie(STAFF_HINT_COOKIE)
        return response
