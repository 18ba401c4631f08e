"""Reads a screen may share: inside reads_shared(), once(key, load) loads each key one time.

A page's change screen asks for the same rows from several places (its source digest, its
document, the comment anchors, the reference check, the form): each builder reads the database
afresh, as it must when it runs inside a step that just changed the page. A screen that only
reads (the change page's GET) wraps its work in reads_shared(), and those reads are made once.
Outside it, once() simply loads.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_shared = ContextVar("shared_reads", default=None)


@contextmanager
def reads_shared():
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def sharing() -> bool:
    """Whether this code runs inside reads_shared()."""
    return _shared.get() is not None


def once(key, load):
    shared = _shared.get()
    if shared is None:
        return load()
    if key not in shared:
        shared[key] = load()
    return shared[key]
