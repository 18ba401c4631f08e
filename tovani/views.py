"""Site-wide public responses that belong to no content type."""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from tovani.http import public
from tovani.site_url import absolute_url


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /search/",
        f"Sitemap: {absolute_url(request, reverse('sitemap'))}",
    ]
    return public(HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"))
