"""Sign-in attempts from one address, whatever the usernames, through the one throttle.

django-axes locks a username at an address after LOGIN_FAILURE_LIMIT wrong passwords. Its
lockouts live in PostgreSQL, so they hold across processes and with Redis away. It does not see
one address trying a few passwords on many usernames. Every sign-in form sent is therefore also
counted per client address (tovani.throttle, over tovani.client_address), LOGIN_ADDRESS_LIMIT in
LOGIN_ADDRESS_WINDOW_MINUTES; past it the form answers 429 without checking a password. The count
is in the shared cache; with Redis away each process counts its own, and axes still locks.
"""

import math

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render

from tovani import throttle


def sign_in(request, **kwargs):
    """The admin's sign-in, refused while the client's address is over its limit."""
    if request.method == "POST":
        verdict = throttle.count_client(
            request,
            "sign-in",
            settings.LOGIN_ADDRESS_LIMIT,
            settings.LOGIN_ADDRESS_WINDOW_MINUTES * 60,
        )
        if not verdict.allowed:
            minutes = max(1, math.ceil(verdict.retry_after / 60))
            response = render(
                request,
                "registration/too_many_sign_ins.html",
                {"limit": settings.LOGIN_ADDRESS_LIMIT, "minutes": minutes},
                status=429,
            )
            response["Retry-After"] = str(math.ceil(verdict.retry_after))
            return response
    return admin.site.login(request, **kwargs)
