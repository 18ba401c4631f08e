"""The password a physician enters again to sign: checked like a sign-in, under its lockout.

A wrong password here counts toward the same django-axes lockout (per username and client
address) as the admin's sign-in form, so the sign-off form is no way around the login limit.
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate

from reviews.errors import WorkflowError


def confirm_password(user, password, request=None) -> None:
    """Raise WorkflowError unless password is user's; with a request, failures are counted.

    Without a request (a command, the shell) there is no client to count against, and only the
    password is checked.
    """
    if request is None:
        confirmed = bool(password) and user.check_password(password)
    else:
        credentials = {"username": user.get_username(), "password": password}
        if not AxesProxyHandler.is_allowed(request, credentials):
            raise WorkflowError(_locked_message())
        # authenticate() sends user_login_failed on a wrong password, which django-axes counts.
        confirmed = bool(password) and authenticate(request, **credentials) == user
        if not confirmed and not AxesProxyHandler.is_allowed(request, credentials):
            raise WorkflowError(_locked_message())
    if not confirmed:
        raise WorkflowError("The password is not correct. The sign-off was not recorded.")


def _locked_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Too many wrong passwords: signing and signing in as you from this address are locked "
        f"for {minutes} minutes. The sign-off was not recorded."
    )
