"""The old addresses of a page that moved answer 301 to where it lives now.

Only an address no live page holds is looked up (reviews.moves.current_slug): a slug another
page has taken since is that page's, and a page moved twice is found from either old address
in one step. When the page is no longer live, its old addresses answer 404 like any other.
"""

from functools import wraps

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from reviews.moves import current_slug
from tovani.site_url import site_origin


def follows_moves(model, url_name):
    """Wrap a view taking slug: its 404 becomes a 301 to url_name at the page's new slug."""

    def decorate(view):
        @wraps(view)
        def answer(request, slug, **kwargs):
            try:
                response = view(request, slug=slug, **kwargs)
            except Http404:
                moved = _moved(request, model, url_name, slug, kwargs)
                if moved is None:
                    raise
                return moved
            if response.status_code == 404:
                return _moved(request, model, url_name, slug, kwargs) or response
            return response

        return answer

    return decorate


def _moved(request, model, url_name, slug, kwargs):
    new_slug = current_slug(model, slug)
    if new_slug is None:
        return None
    location = site_origin(request) + reverse(url_name, kwargs={**kwargs, "slug": new_slug})
    if request.META.get("QUERY_STRING"):
        location += "?" + request.META["QUERY_STRING"]
    response = HttpResponsePermanentRedirect(location)
    # Bounded like a page: the address could be taken by another page one day.
    patch_cache_control(response, max_age=settings.PAGE_MAX_AGE)
    return response
