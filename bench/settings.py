"""The production settings, plus the bench's reference view; BENCH_CACHE=dummy disables the
page cache so every request renders (the cold measurement)."""

import os

from tovani.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_CACHE") == "dummy":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    PAGE_MEMORY_CACHE_ENTRIES = 0
    PAGE_POINTER_SECONDS = 0

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
