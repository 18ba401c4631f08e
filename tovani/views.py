"""Site-wide public responses that belong to no content type."""

from django.http import HttpResponse, JsonResponse
from django.urls import reverse

from reviews.signatures import jwk_set
from tovani.http import public
from tovani.site_url import absolute_url


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /search/",
        f"Sitemap: {absolute_url(reverse('sitemap'), request)}",
    ]
    return public(HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"))


def signing_keys(request):
    """The public keys publications are signed with, as a JWK set; anyone may fetch them."""
    response = public(JsonResponse(jwk_set(), content_type="application/jwk-set+json"))
    response["Access-Control-Allow-Origin"] = "*"
    return response
