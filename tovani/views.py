"""Site-wide public responses that belong to no content type."""

from django.http import HttpResponse
from django.urls import reverse

from tovani.http import public
from tovani.site_url import absolute_url


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /search/",
        "Disallow: /es/search/",
        f"Sitemap: {absolute_url(reverse('sitemap'), request)}",
    ]
    return public(HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"))
