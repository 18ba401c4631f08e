"""DRF authentication, permission and throttling by partner key."""

import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.permissions import BasePermission
from rest_framework.throttling import BaseThrottle

from partners import usage
from partners.accounts import InvalidKey, partner_for_key
from partners.models import Partner

API_KEY_HEADER = "X-API-Key"
RATE_WINDOW_SECONDS = 60


class PartnerKeyAuthentication(BaseAuthentication):
    """The partner whose key is in the X-API-Key header becomes request.auth."""

    def authenticate(self, request):
        # Guessing keys is throttled per client address before any key is looked at.
        counter, retry_after = _failures_counter(request)
        if (usage.peek(counter) or 0) >= settings.API_FAILED_KEY_LIMIT:
            raise Throttled(wait=retry_after)
        key = request.headers.get(API_KEY_HEADER, "").strip()
        if not key:
            usage.increment(counter, RATE_WINDOW_SECONDS * 2)
            return None
        try:
            partner = partner_for_key(key)
        except InvalidKey as error:
            usage.increment(counter, RATE_WINDOW_SECONDS * 2)
            raise AuthenticationFailed(str(error)) from None
        return AnonymousUser(), partner

    def authenticate_header(self, request):
        return f'ApiKey header="{API_KEY_HEADER}"'


def _failures_counter(request) -> tuple[str, float]:
    """The cache key counting this address's requests without a valid key, this minute."""
    now = time.time()
    window = int(now // RATE_WINDOW_SECONDS)
    address = BaseThrottle().get_ident(request)
    return f"partners:failures:{address}:{window}", RATE_WINDOW_SECONDS * (window + 1) - now


class HasPartnerKey(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, Partner)


class PartnerUsageMeter(BaseThrottle):
    """Counts each of a partner's requests (in the cache); never refuses one."""

    def allow_request(self, request, view):
        if isinstance(request.auth, Partner):
            usage.record_request(request.auth.pk)
        return True


class PartnerRateThrottle(BaseThrottle):
    """The partner's own limit of requests a minute, counted per minute in the cache."""

    def allow_request(self, request, view):
        partner = request.auth
        if not isinstance(partner, Partner):
            return True
        now = time.time()
        window = int(now // RATE_WINDOW_SECONDS)
        self.retry_after = RATE_WINDOW_SECONDS * (window + 1) - now
        count = usage.increment(f"partners:rate:{partner.pk}:{window}", RATE_WINDOW_SECONDS * 2)
        return count <= partner.rate_limit_per_minute

    def wait(self):
        return self.retry_after
