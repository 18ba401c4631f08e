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
from tovani.client_address import client_address

API_KEY_HEADER = "X-API-Key"
RATE_WINDOW_SECONDS = 60


class PartnerKeyAuthentication(BaseAuthentication):
    """The partner whose key is in the X-API-Key header becomes request.auth."""

    def authenticate(self, request):
        # A valid key always gets in; missing and wrong keys are counted per client address,
        # and past the limit they get 429 instead of 401.
        key = request.headers.get(API_KEY_HEADER, "").strip()
        try:
            partner = partner_for_key(key) if key else None
        except InvalidKey as error:
            _count_failure(request)
            raise AuthenticationFailed(str(error)) from None
        if partner is None:
            _count_failure(request)
            return None
        return AnonymousUser(), partner

    def authenticate_header(self, request):
        return f'ApiKey header="{API_KEY_HEADER}"'


def _count_failure(request) -> None:
    """Count a request without a valid key; past the limit this minute, answer 429."""
    now = time.time()
    window = int(now // RATE_WINDOW_SECONDS)
    counter = f"partners:failures:{client_address(request)}:{window}"
    if usage.increment(counter, RATE_WINDOW_SECONDS * 2) > settings.API_FAILED_KEY_LIMIT:
        raise Throttled(wait=RATE_WINDOW_SECONDS * (window + 1) - now)


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
