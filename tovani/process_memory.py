"""A small least-recently-used memory kept by each process, for values that are safe to reuse."""

import threading
import time
from collections import OrderedDict


class ProcessMemory:
    """Values this process used last, least recently used out first, each kept for a time.

    limit() and seconds() read the settings on each use, so tests and deploys can change them;
    seconds() of None keeps a value until it is pushed out, 0 or less keeps nothing.
    """

    def __init__(self, limit, seconds=lambda: None):
        self._limit, self._seconds = limit, seconds
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        if not self._entries:  # nothing kept (or kept nothing at all): no lock to take
            return default
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or (entry[0] is not None and entry[0] <= time.monotonic()):
                return default
            self._entries.move_to_end(key)
            return entry[1]

    def set(self, key, value):
        seconds = self._seconds()
        if (seconds is not None and seconds <= 0) or self._limit() <= 0:
            return
        expires = None if seconds is None else time.monotonic() + seconds
        with self._lock:
            self._entries[key] = (expires, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self._limit():
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()
