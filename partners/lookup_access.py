"""Who may ask the code lookup: anyone, or a partner by its key in the URL.

An EHR's infobutton is often configured with nothing but a URL template, and MedlinePlus
Connect, which such EHRs already call, needs no key. The lookup answers what the public site
shows, so it needs none either: without a key a client address gets LOOKUP_ADDRESS_LIMIT
requests a minute. With a key (the X-API-Key header, or the api_key query parameter of this
endpoint only) the partner's own limit and usage apply. The query parameter never reaches a
log: the access logs drop it (deploy/gunicorn.conf.py) and no link of an answer repeats the
query it was asked with.
"""

import math
import time

from django.conf import settings
from rest_framework.exceptions import Throttled

from partners.authentication import (
    RATE_WINDOW_SECONDS,
    PartnerKeyAuthentication,
    PartnerRateThrottle,
)
from partners.models import Partner
from tovani import shared_cache
from tovani.client_address import client_address

KEY_PARAMETER = "api_key"


class LookupKeyAuthentication(PartnerKeyAuthentication):
    """A partner's key from the X-API-Key header or, for the lookup, the api_key parameter."""

    def authenticate(self, request):
        # No key is no failure here: only a wrong key counts against the address.
        return super().authenticate(request) if self.key_of(request) else None

    def key_of(self, request) -> str:
        return super().key_of(request) or request.query_params.get(KEY_PARAMETER, "").strip()


class LookupRateThrottle(PartnerRateThrottle):
    """A partner's own limit with a key; LOOKUP_ADDRESS_LIMIT a minute per address without."""

    def allow_request(self, request, view):
        if isinstance(request.auth, Partner):
            return super().allow_request(request, view)
        now = time.time()
        window = int(now // RATE_WINDOW_SECONDS)
        key = f"lookup:address:{client_address(request)}:{window}"
        (count,) = shared_cache.count((key, RATE_WINDOW_SECONDS * 2))
        self.retry_after = RATE_WINDOW_SECONDS * (window + 1) - now
        limit = settings.LOOKUP_ADDRESS_LIMIT
        # For the answer's RateLimit fields (api.rate_headers), 429 included.
        request.address_standing = (limit, max(limit - count, 0), math.ceil(self.retry_after))
        if count > limit:
            raise Throttled(wait=self.retry_after)
        return True
