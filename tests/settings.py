"""Settings for the test suite: the project's settings with test-only values."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-key-never-used-in-production-4f8c2b1e9d7a6")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Production settings require SITE_URL; the suite sets it to load them, then clears it below so
# each test chooses between SITE_URL and the request's own address.
os.environ.setdefault("SITE_URL", "https://library.example")
# Tasks run inline, inside the test; the tests of the worker and retries use the database.
os.environ.setdefault("TASKS_BACKEND", "immediate")
# A fixed Ed25519 key (base64 of its 32 bytes) that signs the suite's publications.
os.environ.setdefault("SIGNING_KEY", "JDCgU/9CPTJCFmfEt7XB+771GEISwn32rFLoLTtzuBo=")

from tovani.settings import *  # noqa: E402,F403

SITE_URL = ""

# schemathesis calls the WSGI application as http://localhost.
ALLOWED_HOSTS = ["localhost"]

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Webhook tests deliver to receivers the test starts on 127.0.0.1.
WEBHOOK_ALLOW_LOOPBACK = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Serve static files from the finders, as in development: the suite never runs collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The test client's login() passes no request, which django-axes requires; the suite signs in
# that way everywhere except the tests of login throttling, which put django-axes back.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
# The live server answers each request in a thread of its own; persistent connections would
# outlive those threads and keep the test database from being dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
AXES_VERBOSE = False
LOGGING = {**LOGGING, "loggers": {**LOGGING["loggers"], "axes": {"level": "WARNING"}}}  # noqa: F405
# Test databases reuse ids after a rollback; a page kept in process memory by id would then
# outlive its test. The tests of that memory turn it on themselves.
PAGE_MEMORY_CACHE_ENTRIES = 0
# Each test reads the live pointer afresh; the tests of the pointer memo turn it on.
PAGE_POINTER_SECONDS = 0
# Each test checks partner keys afresh; the tests of the key memory turn it on.
PARTNER_KEY_SECONDS = 0
# Each request is counted in the shared cache as it comes; the tests of the tally turn it on.
API_RATE_BATCH = 0
# A throwaway kind of page (tests/leaflets) that joins the publishing layer by registering.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.leaflets"]  # noqa: F405
# Purges are sent once; the test of the second sending turns it on.
PURGE_SETTLE_SECONDS = 0
