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
_API_KEY_META = "HTTP_X_API_KEY"
RATE_WINDOW_SECONDS = rate_limit.RATE_WINDOW_SECONDS


class PartnerKeyAuthentication(BaseAuthentication):
    """The partner whose key is in the X-API-Key header becomes request.auth.

    Requests without a valid key are counted per client address; past API_FAILED_KEY_LIMIT a
    minute they are answered 429, so keys cannot be guessed at speed. A valid key is never
    refused for what others did from its address.
    """

    def authenticate(self, request):
        # Made once per request: a view that ran these classes before DRF (api.admission)
        # leaves the outcome, so a failure is not counted twice.
        outcome = getattr(_django(request), AUTHENTICATION, _NOT_YET)
        if outcome is _NOT_YET:
            outcome = self._outcome(request)
            setattr(_django(request), AUTHENTICATION, outcome)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _outcome(self, request):
        key = self.key_of(request)
        try:
            partner = partner_for_key(key) if key else None
        except InvalidKey as error:
            return _counted_failure(request, AuthenticationFailed(str(error)))
        if partner is None:
            return _counted_failure(request, None)
        return AnonymousUser(), partner

    def key_of(self, request) -> str:
        # From META: request.headers would build a mapping of every header for this one.
        return request.META.get(_API_KEY_META, "").strip()

    def authenticate_header(self, request):
        return f'ApiKey header="{API_KEY_HEADER}"'


def _counted_failure(request, outcome):
    """Count a request without a valid key against its address: the outcome, or 429 past the
    limit."""
    verdict = throttle.count_client(
        request, "partners:failures", settings.API_FAILED_KEY_LIMIT, RATE_WINDOW_SECONDS
    )
    if not verdict.allowed:
        return Throttled(wait=verdict.retry_after)
    return outcome


class HasPartnerKey(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.auth, Partner)


class PartnerRateThrottle(BaseThrottle):
    """The partner's own limit of requests a minute, counted with its usage (partners.rate_limit).

    Every request of a partner is counted, refused or not, once: the decision is kept on the
    request, so running the classes before DRF (api.admission) and in DRF counts it once.
    """

    def allow_request(self, request, view):
        partner = request.auth
        if not isinstance(partner, Partner):
            return True
        decision = getattr(_django(request), ADMISSION, None)
        if decision is None:
            decision = rate_limit.admit(partner)
            setattr(_django(request), ADMISSION, decision)
        allowed, self.retry_after = decision
        return allowed

    def wait(self):
        return self.retry_after


def partner_of(request) -> Partner | None:
    """The partner this request was authenticated as, once the classes ran for it."""
    outcome = getattr(_django(request), AUTHENTICATION, None)
    return outcome[1] if isinstance(outcome, tuple) else None


# The attributes of a request that hold the authentication's outcome and the rate limit's
# decision once they were made.
AUTHENTICATION = "partner_authentication"
ADMISSION = "partner_admission"
_NOT_YET = object()


def _django(request):
    # Decisions live on Django's request, which every DRF Request made for it wraps.
    return getattr(request, "_request", request)
