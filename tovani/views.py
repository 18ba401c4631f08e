"""Site-wide public responses that belong to no content type."""

from django.http import HttpResponse
from django.urls import reverse

from conditions.public import absolute_url, public


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /search/",
        f"Sitemap: {absolute_url(request, reverse('sitemap'))}",
    ]
    return public(HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"))
