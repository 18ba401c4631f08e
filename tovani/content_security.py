"""The Content-Security-Policy header, built once for every answer that shapes it no further.

django-csp builds the header from the settings on every response: a dictionary copied, every
directive joined. Most answers (every cached page, every API answer) use no nonce and no
per-view change, so their header is the same string each time. It is built on first use and
kept until a CSP setting changes (a test's override_settings). An answer that asked for a nonce
or whose view changed the policy (csp_update, csp_replace, csp_exempt) goes through django-csp
unchanged.
"""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as PolicyPerResponse
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view or decorator sets on a response to change or drop its policy.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)
_SETTINGS = {"CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY", "DEBUG"}
_built: dict[str, tuple] = {}


@receiver(setting_changed)
def _forget(setting, **kwargs):
    if setting in _SETTINGS:
        _built.clear()


def _policy(header: str, setting: str, report_only: bool) -> tuple[str, tuple]:
    """(the header's value, the address prefixes it is not sent on), built once."""
    found = _built.get(header)
    if found is None:
        policy = getattr(settings, setting, None) or {}
        value = build_policy(report_only=report_only)
        found = _built[header] = (value, tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ()))
    return found


class CSPMiddleware(PolicyPerResponse):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            name in response.__dict__ for name in _PER_RESPONSE
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        for header, setting, report_only in (
            (HEADER, "CONTENT_SECURITY_POLICY", False),
            (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
        ):
            value, excluded = _policy(header, setting, report_only)
            if value and header not in response and not request.path_info.startswith(excluded):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
