"""The IETF RateLimit header fields on every answer to a partner's key.

`RateLimit-Policy: "partner";q=600;w=60` states the partner's limit (q requests a w-second
window); `RateLimit: "partner";r=42;t=17` what is left of it (r) and the seconds until the
window ends (t), as the answering process last knew the shared count (partners.rate_limit):
within a batch of requests of the truth far from the limit, exact near it.
"""

from partners import rate_limit
from partners.models import Partner

POLICY = "partner"


def add(response, partner):
    if not isinstance(partner, Partner):
        return response
    remaining, reset = rate_limit.standing(partner)
    limit = partner.rate_limit_per_minute
    response["RateLimit-Policy"] = f'"{POLICY}";q={limit};w={rate_limit.RATE_WINDOW_SECONDS}'
    response["RateLimit"] = f'"{POLICY}";r={remaining};t={reset}'
    return response
