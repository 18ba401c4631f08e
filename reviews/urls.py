"""The public keys every publication is signed with: anyone may fetch them."""

from django.http import JsonResponse
from django.urls import path

from reviews.signatures import jwk_set
from tovani.http import public, read_only


def signing_keys(request):
    """The public keys publications are signed with, as a JWK set; anyone may fetch them."""
    response = public(JsonResponse(jwk_set(), content_type="application/jwk-set+json"))
    response["Access-Control-Allow-Origin"] = "*"
    return response


urlpatterns = [
    path(".well-known/tovani-keys.json", read_only(signing_keys), name="signing_keys"),
]
