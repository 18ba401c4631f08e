"""The workflow's notion of now, replaceable for a block of code.

Used by tests of review expiry and by load_demo, which replays the seed page's real review
date through the real sign-off function rather than writing a record by hand.
"""

import contextlib
import contextvars

from django.utils import timezone

_frozen = contextvars.ContextVar("reviews_clock_frozen", default=None)


def now():
    return _frozen.get() or timezone.now()


@contextlib.contextmanager
def frozen_at(moment):
    token = _frozen.set(moment)
    try:
        yield moment
    finally:
        _frozen.reset(token)
