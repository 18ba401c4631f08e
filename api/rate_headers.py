"""The IETF RateLimit header fields on every answer to a partner's key, and on the keyless code
lookup's.

`RateLimit-Policy: "partner";q=600;w=60` states the partner's limit (q requests a w-second
window); `RateLimit: "partner";r=42;t=17` what is left of it (r) and the seconds until the
window ends (t), as the answering process last knew the shared count (partners.rate_limit):
within a batch of requests of the truth far from the limit, exact near it. A lookup without a
key is counted per client address, exactly: the policy "address" (partners.lookup_access).
"""

from partners import rate_limit
from partners.models import Partner

POLICY = "partner"


ADDRESS_POLICY = "address"


def add(response, partner, address_standing=None):
    """address_standing: (limit, remaining, seconds left) of a keyless lookup's address."""
    if not isinstance(partner, Partner):
        if address_standing is not None:
            limit, remaining, reset = address_standing
            window = rate_limit.RATE_WINDOW_SECONDS
            response["RateLimit-Policy"] = f'"{ADDRESS_POLICY}";q={limit};w={window}'
            response["RateLimit"] = f'"{ADDRESS_POLICY}";r={remaining};t={reset}'
        return response
    remaining, reset = rate_limit.standing(partner)
    limit = partner.rate_limit_per_minute
    response["RateLimit-Policy"] = f'"{POLICY}";q={limit};w={rate_limit.RATE_WINDOW_SECONDS}'
    response["RateLimit"] = f'"{POLICY}";r={remaining};t={reset}'
    return response
