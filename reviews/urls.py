"""The public keys every publication is signed with, which anyone may fetch; and the private,
never-cached question a public page's script asks for staff: may I edit this page?"""

import hashlib
import json

from django.conf import settings
from django.http import HttpResponse
from django.urls import path
from django.utils.cache import get_conditional_response, patch_cache_control

from reviews.edit_link import edit_link
from reviews.signatures import jwk_set
from tovani.http import read_only


def signing_keys(request):
    """The public keys publications are signed with, as a JWK set; anyone may fetch them.

    Kept by caches for KEY_SET_MAX_AGE only (a minute), not the pages' hour: a partner meeting a
    key id it does not know fetches the set again and must find the new key. An unchanged set
    costs a revalidation a 304.
    """
    body = json.dumps(jwk_set(), separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        body, content_type="application/jwk-set+json"
    )
    response["ETag"] = etag
    patch_cache_control(
        response, public=True, max_age=settings.KEY_SET_MAX_AGE, s_maxage=settings.KEY_SET_MAX_AGE
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


urlpatterns = [
    path(".well-known/tovani-keys.json", read_only(signing_keys), name="signing_keys"),
    path("staff/edit-link/", read_only(edit_link), name="staff_edit_link"),
]
