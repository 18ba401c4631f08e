"""DRF authentication, permission and throttling by partner key.

A request with a valid key costs no query (partners.accounts remembers valid keys) and at most
one round trip to the shared cache, which counts the rate limit and the usage together.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import BasePermission
from rest_framework.throttling import BaseThrottle

from partners import rate_limit
from partners.accounts import InvalidKey, partner_for_key
from partners.models import Partner
from tovani import throttle

API_KEY_HEADER = "X-API-Key"
RATE_WINDOW_SECONDS = rate_limit.RATE_WINDOW_SECONDS


class PartnerKeyAuthentication(BaseAuthentication):
    """The partner whose key is in the X-API-Key header becomes request.auth.

    Requests without a valid key are counted per client address; past API_FAILED_KEY_LIMIT a
    minute they are answered 429, so keys cannot be guessed at speed. A valid key is never
    refused for what others did from its address.
    """

    def authenticate(self, request):
        key = self.key_of(request)
        try:
            partner = partner_for_key(key) if key else None
        except InvalidKey as error:
            _count_failure(request)
            raise AuthenticationFailed(str(error)) from None
        if partner is None:
            _count_failure(request)
            return None
        return AnonymousUser(), partner

    def key_of(self, request) -> str:
        return request.headers.get(API_KEY_HEADER, "").strip()

    def authenticate_header(self, request):
        return f'ApiKey header="{API_KEY_HEADER}"'


def _count_failure(request):
    """Count a request without a valid key against its address; 429 past the limit."""
    verdict = throttle.count_client(
        request, "partners:failures", settings.API_FAILED_KEY_LIMIT, RATE_WINDOW_SECONDS
    )
    if not verdict.allowed:
        raise Throttled(wait=verdict.retry_after)


class HasPartnerKey(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, Partner)


class PartnerRateThrottle(BaseThrottle):
    """The partner's own limit of requests a minute, counted with its usage (partners.rate_limit).

    Every request of a partner is counted, refused or not, once: a view that admitted the
    request before DRF saw it (api.views) leaves its decision on the request.
    """

    def allow_request(self, request, view):
        partner = request.auth
        if not isinstance(partner, Partner):
            return True
        decision = getattr(request, ADMISSION, None)
        if decision is None:
            decision = rate_limit.admit(partner)
        allowed, self.retry_after = decision
        return allowed

    def wait(self):
        return self.retry_after


# The attribute of a request that holds the rate limit's decision once it was made.
ADMISSION = "partner_admission"
