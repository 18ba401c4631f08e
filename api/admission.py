"""A view's own DRF authentication, permission and throttle classes, run before DRF.

The condition detail answers its usual request (a GET with a key, within the rate limit, for a
live page) without DRF's request handling. It admits the request by running the classes the
view declares, in DRF's order (authenticate, then permissions, then throttles), so that order and
those rules live in one place: REST_FRAMEWORK's settings and the classes themselves. Each class
keeps its decision on the request (partners.authentication), so when anything refuses and DRF
then answers, nothing is counted twice.
"""

from rest_framework.exceptions import APIException
from rest_framework.request import Request


def admitted(request, view_class):
    """The partner request.auth would hold when the view's classes all let the request through;
    None when any refuses or none authenticates (DRF then answers, with the same decisions)."""
    drf_request = Request(request)
    view = view_class()
    try:
        for authenticator in (cls() for cls in view_class.authentication_classes):
            result = authenticator.authenticate(drf_request)
            if result is not None:
                drf_request.user, drf_request.auth = result
                break
        else:
            return None
        for permission in (cls() for cls in view_class.permission_classes):
            if not permission.has_permission(drf_request, view):
                return None
        for throttle in (cls() for cls in view_class.throttle_classes):
            if not throttle.allow_request(drf_request, view):
                return None
    except APIException:
        return None
    return drf_request.auth
