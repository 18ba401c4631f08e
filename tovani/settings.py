"""Settings for the Tovani clinical CMS, read from the environment (12-factor).

SECRET_KEY and SITE_URL are required. With nothing else set the project runs with DEBUG off,
the embedded SQLite database in the project folder and a local-memory cache.

In development, `make run` writes a git-ignored `.env` (a generated secret, DEBUG=1, the SQLite
URL) that is read here only when the environment itself sets no SECRET_KEY and the file turns
DEBUG on (tovani.env.read_development_env), so project commands work in any shell afterwards.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from tovani.env import env_bool, env_float, env_int, env_list, env_str, read_development_env

BASE_DIR = Path(__file__).resolve().parent.parent
DEVELOPMENT_ENV_FILE = read_development_env(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "Set the SECRET_KEY environment variable (a long random string). For development, "
        "`make run` writes one to .env."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "reversion",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "tasks",  # before django_tasks_db: its db_worker (with leases) is the one run
    "django_tasks_db",
    "references",
    "reviews",
    "publishing",
    "conditions",
    "partners",
    "api",
    "editorial",
    "feedback",
    "backups",
    "webhooks",
    "evidence",
    "purges",
    "translations",
]

MIDDLEWARE = [
    "tovani.request_context.RequestContextMiddleware",
    "tovani.replicas.ReplicaMiddleware",
    # A public answer given again while its view would give the same (tovani/replay.py): before
    # the rest of the stack, which it keeps in the answer it gives again.
    "tovani.replay.ReplayMiddleware",
    "purges.middleware.SurrogateKeyMiddleware",
    # Outside the middleware that answers 503, so that answer carries the API's terms too.
    "api.license_link.LicenseLinkMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "tovani.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The admin in each staff member's own time zone (reviews/time_zones.py); never the public site.
    "reviews.time_zones.StaffTimeZoneMiddleware",
    # Tells a public page's script to ask whether to show "Edit this page" (reviews/edit_link.py).
    "reviews.edit_link.StaffHintMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tovani.content_security.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after LOGIN_FAILURE_LIMIT failures for one username from one address, that
# pair is locked out for LOGIN_LOCKOUT_MINUTES; a successful login resets the count.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# And every sign-in form sent from one client address, whatever the username (reviews/
# sign_in_limit.py): LOGIN_ADDRESS_LIMIT in LOGIN_ADDRESS_WINDOW_MINUTES, then 429.
LOGIN_ADDRESS_LIMIT = env_int("LOGIN_ADDRESS_LIMIT", 30)
LOGIN_ADDRESS_WINDOW_MINUTES = env_int("LOGIN_ADDRESS_WINDOW_MINUTES", 15)
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# One notion of the client's address (tovani/client_address.py) for lockouts and throttles:
# 0 trusts only the socket; N trusts the N-th X-Forwarded-For entry from the right, which the
# outermost of N proxies wrote (deploy/nginx.conf: 1).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
AXES_CLIENT_IP_CALLABLE = "tovani.client_address.client_address"

ROOT_URLCONF = "tovani.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tovani.context_processors.site",
            ],
            "builtins": ["tovani.template_filters"],
        },
    },
]

WSGI_APPLICATION = "tovani.wsgi.application"

# A persistent connection with a health check: opening a PostgreSQL connection per request
# costs a large share of a page's throughput.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The worker's heartbeat thread writes beside its tasks. A deferred SQLite transaction that
    # read and then writes while another connection holds the write lock fails at once with
    # "database is locked" (waiting could deadlock); one that takes the lock when it begins waits
    # for it instead, up to the timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": env_int("SQLITE_TIMEOUT_SECONDS", 20)}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, with a health check that sends `SELECT 1` only when a kept connection
    # has been idle or the server has written to it (tovani/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "tovani.postgresql"
# Read replicas (README "Read replicas"): public reads go to one that has replayed every
# change the public must see; everything else, and any doubt, to the primary.
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    _replica = dj_database_url.parse(
        _url,
        conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
        conn_health_checks=DATABASES["default"]["CONN_HEALTH_CHECKS"],
    )
    _replica["ENGINE"] = DATABASES["default"]["ENGINE"]
    DATABASES[f"replica{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_number}")
DATABASE_ROUTERS = ["tovani.db_router.PrimaryReplicaRouter"]
# A visitor who wrote reads the primary for this long; a lagging replica is waited for this long.
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 5)
REPLICA_MAX_WAIT_MS = env_int("REPLICA_MAX_WAIT_MS", 50)
# A replica that could not be reached is left alone for this long.
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 5)
# Edge caches to purge (README "Purging edge caches"): kind+URL, comma-separated.
PURGE_URLS = env_list("PURGE_URLS", [])
PURGE_TIMEOUT_SECONDS = env_float("PURGE_TIMEOUT_SECONDS", 5.0)
PURGE_RETRY_SECONDS = [1, 5, 30, 120, 600]
# Each purge is sent a second time this long after every cache confirmed the first.
PURGE_SETTLE_SECONDS = env_float("PURGE_SETTLE_SECONDS", 0.2)
FASTLY_API_TOKEN = env_str("FASTLY_API_TOKEN", "")
CLOUDFLARE_API_TOKEN = env_str("CLOUDFLARE_API_TOKEN", "")
# Seconds a kept connection may sit unused and still be trusted without a `SELECT 1`.
HEALTH_CHECK_IDLE_SECONDS = env_int("HEALTH_CHECK_IDLE_SECONDS", 10)
# Off behind a connection pooler in transaction mode, which cannot keep prepared statements.
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", True)

REDIS_URL = env_str("REDIS_URL", "")
# Redis is an accelerator (tovani.shared_cache): seconds to wait for it to connect or answer,
# and seconds a process leaves it alone after it failed, before asking again.
REDIS_TIMEOUT = env_float("REDIS_TIMEOUT", 0.1)
REDIS_RETRY_SECONDS = env_float("REDIS_RETRY_SECONDS", 5)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tovani",
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# English pages and their translations (translations/); the message files of the public site's
# interface strings live in locale/ (make messages updates them, the build compiles them).
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Transport security. On by default whenever DEBUG is off; a deployment behind a
# TLS-terminating proxy sets SECURE_PROXY_SSL_HEADER=1.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# An admin session ends after SESSION_COOKIE_AGE seconds (default 8 hours) or with the browser.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy on every response, the admin included: no inline script or style.
# A script block the page needs (the JSON-LD) carries the per-request nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "library@tovani.example")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Django waits for a mail server forever by default; a hung server would hold a worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

# Background work (e-mail now; anything slow or retried later) through the Tasks API, the
# django-tasks backport of django.tasks. "database": a table and `manage.py db_worker` (make run
# starts one); "immediate": inline, for tests and scripts; "rq": Redis queues and
# `manage.py rqworker` (requirements-rq.txt), for more than one machine.
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
# Large reference imports run on a queue of their own, with a worker of their own, so a long
# import never holds back publishing, e-mail or webhooks on "default".
TASK_QUEUES = ["default", "imports"]
_TASK_BACKENDS = {
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": TASK_QUEUES},
    "immediate": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASK_QUEUES,
    },
    "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": TASK_QUEUES},
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}; got {TASKS_BACKEND!r}."
    )
TASKS = {"default": _TASK_BACKENDS[TASKS_BACKEND]}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    _RQ_URL = env_str("TASKS_REDIS_URL", REDIS_URL)
    RQ_QUEUES = {queue: {"URL": _RQ_URL, "DEFAULT_TIMEOUT": 300} for queue in TASK_QUEUES}
    RQ_QUEUES["imports"]["DEFAULT_TIMEOUT"] = 3600  # a large file takes minutes, not seconds
    if not _RQ_URL:
        raise ImproperlyConfigured("TASKS_BACKEND=rq needs TASKS_REDIS_URL or REDIS_URL.")
# A failing task is tried TASK_MAX_ATTEMPTS times in all, waiting TASK_RETRY_SECONDS, then four
# times as long after each further failure (30 s, 2 min, 8 min, 32 min by default).
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5)
TASK_RETRY_SECONDS = env_int("TASK_RETRY_SECONDS", 30)
# A task whose worker gave no sign of life for this long is run again (tasks.leases); workers
# renew their lease every quarter of it.
TASK_LEASE_SECONDS = env_int("TASK_LEASE_SECONDS", 60)

# Partner webhooks (webhooks/). http:// and loopback addresses only with WEBHOOK_ALLOW_LOOPBACK,
# which is on with DEBUG: in production every endpoint is https:// to a public address.
WEBHOOK_ALLOW_LOOPBACK = env_bool("WEBHOOK_ALLOW_LOOPBACK", DEBUG)
WEBHOOK_TIMEOUT = env_int("WEBHOOK_TIMEOUT", 10)
# An endpoint whose deliveries have failed this long is disabled and its partner e-mailed.
WEBHOOK_DISABLE_AFTER = timedelta(hours=env_int("WEBHOOK_DISABLE_AFTER_HOURS", 24))

# One line per event, with time and level; lines logged while a request is answered name its
# method, path and id. Django's own handlers are replaced, not added to, so nothing prints twice.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "tovani.request_context.RequestFilter"}},
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s%(request_context)s: %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["request"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # django-axes announces its version at every start-up and writes four lines per sign-in;
        # its warnings (failed sign-ins, lockouts) are the ones an operator needs.
        "axes": {"level": "WARNING"},
    },
}

# The clinical review rules.
REVIEW_INTERVAL_DAYS = env_int("REVIEW_INTERVAL_DAYS", 365)
# The publisher's admin home lists the pages published in this many last days.
PUBLISHED_RECENTLY_DAYS = env_int("PUBLISHED_RECENTLY_DAYS", 7)
if PUBLISHED_RECENTLY_DAYS < 1:
    raise ImproperlyConfigured("PUBLISHED_RECENTLY_DAYS must be 1 or more.")
REQUIRE_INDEPENDENT_REVIEW = env_bool("REQUIRE_INDEPENDENT_REVIEW", True)
# What `review_due` does with a live page whose review has expired: "keep" it live with its old
# stamp, or "unpublish" it until a physician reviews it again.
OVERDUE_POLICY = env_str("OVERDUE_POLICY", "keep")
if OVERDUE_POLICY not in {"keep", "unpublish"}:
    raise ImproperlyConfigured("OVERDUE_POLICY must be “keep” or “unpublish”.")

# Public page caching: seconds a browser or CDN may keep a page before revalidating.
PAGE_MAX_AGE = env_int("PAGE_MAX_AGE", 300)
PAGE_SHARED_MAX_AGE = env_int("PAGE_SHARED_MAX_AGE", 3600)
# The default names the last release that changed a public template (its pages leave places
# for a notice and language links, and load the script that shows staff "Edit this page"; the
# Spanish pages link to their index), so an upgrade renders live pages again on first use.
PAGE_CACHE_VERSION = env_str("PAGE_CACHE_VERSION", "2026-12.3")
# Entries on one page of the public index (/conditions/?page=2, …): its bytes stay bounded.
INDEX_PAGE_SIZE = env_int("INDEX_PAGE_SIZE", 250)
# Pages each process keeps in its own memory in front of the shared cache (0: none).
PAGE_MEMORY_CACHE_ENTRIES = env_int("PAGE_MEMORY_CACHE_ENTRIES", 200)
# Seconds each process remembers which publication is live at an address (0: ask every time).
# A publish or unpublish reaches every process within this time.
PAGE_POINTER_SECONDS = env_int("PAGE_POINTER_SECONDS", 2)

# Readability of page text for editors and reviewers: the Flesch-Kincaid grade a section
# should not exceed (NIH and CDC advise a 6th-8th grade level for patient material). Above it,
# the change page and the review screen warn; nothing is ever refused for it.
READABILITY_TARGET_GRADE = env_int("READABILITY_TARGET_GRADE", 8)
# Spanish pages: the Szigriszt-Pazos reading ease a section should reach. 55 is where INFLESZ's
# "normal" band begins (below it, "algo difícil"); below it the same screens warn.
READABILITY_SPANISH_MIN_EASE = env_int("READABILITY_SPANISH_MIN_EASE", 55)
# Reader reports ("Report a problem with this page"): how many one address may send an hour.
FEEDBACK_REPORTS_PER_HOUR = env_int("FEEDBACK_REPORTS_PER_HOUR", 5)

# NCBI E-utilities, for importing references by PMID. NCBI asks each program for its name and
# a contact address; an API key raises the allowed rate from 3 to 10 requests a second.
NCBI_TOOL = env_str("NCBI_TOOL", "tovani")
NCBI_EMAIL = env_str("NCBI_EMAIL", DEFAULT_FROM_EMAIL)
NCBI_API_KEY = env_str("NCBI_API_KEY", "")
NCBI_TIMEOUT = env_int("NCBI_TIMEOUT", 10)

# Evidence watch (evidence/): where PubMed's E-utilities and Crossref's REST API are asked (the
# PubMed import by PMID uses the same base), and the contact address NCBI's `email` and
# Crossref's `mailto` carry (Crossref answers such "polite" requests from a pool of its own).
PUBMED_EUTILS_URL = env_str("PUBMED_EUTILS_URL", "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/")
CROSSREF_API_URL = env_str("CROSSREF_API_URL", "https://api.crossref.org/")
EVIDENCE_CONTACT_EMAIL = env_str("EVIDENCE_CONTACT_EMAIL", NCBI_EMAIL)
# Crossref's documented limits: 5 requests a second without a contact address, 10 with one.
CROSSREF_REQUESTS_PER_SECOND = env_int(
    "CROSSREF_REQUESTS_PER_SECOND", 10 if EVIDENCE_CONTACT_EMAIL else 5
)
EVIDENCE_TIMEOUT = env_int("EVIDENCE_TIMEOUT", 30)
# Attempts of one request to PubMed or Crossref (timeouts, 429 and 5xx answers) before a run
# stops; the next run resumes where this one stopped.
EVIDENCE_ATTEMPTS = env_int("EVIDENCE_ATTEMPTS", 4)
EVIDENCE_RETRY_SECONDS = float(env_str("EVIDENCE_RETRY_SECONDS", "2"))
# When a live page shows readers that it is being reviewed: "retraction" (a study it cites was
# retracted) or "never".
EVIDENCE_PUBLIC_NOTICE = env_str("EVIDENCE_PUBLIC_NOTICE", "retraction")
if EVIDENCE_PUBLIC_NOTICE not in {"retraction", "never"}:
    raise ImproperlyConfigured("EVIDENCE_PUBLIC_NOTICE must be “retraction” or “never”.")
# What a retraction does to the live pages citing the study: "review" keeps them live under an
# unscheduled review (with the notice above) and purges them from every cache, so readers see the
# notice at once; "withdraw" takes them down through the workflow as well.
RETRACTED_PAGES = env_str("RETRACTED_PAGES", "review")
if RETRACTED_PAGES not in {"review", "withdraw"}:
    raise ImproperlyConfigured("RETRACTED_PAGES must be “review” or “withdraw”.")

# Reference imports: the largest file import_references reads (larger files are refused with
# a message); the largest file or pasted list the admin's import screen previews at once; and
# the largest file it takes at all: a file between the two is checked and imported by a
# background task (references/import_jobs.py), reporting on its own admin page.
REFERENCE_IMPORT_MAX_BYTES = env_int("REFERENCE_IMPORT_MAX_BYTES", 25 * 1024 * 1024)
REFERENCE_UPLOAD_MAX_BYTES = env_int("REFERENCE_UPLOAD_MAX_BYTES", 1024 * 1024)
REFERENCE_BACKGROUND_UPLOAD_MAX_BYTES = env_int(
    "REFERENCE_BACKGROUND_UPLOAD_MAX_BYTES", 25 * 1024 * 1024
)
# Days a checked reference import waits for confirmation before the next upload discards it.
REFERENCE_IMPORT_CONFIRM_DAYS = env_int("REFERENCE_IMPORT_CONFIRM_DAYS", 14)

SITE_NAME = env_str("SITE_NAME", "Tovani Clinical Library")
# The public origin for canonical URLs, the sitemap, the feed and links in e-mails
# (tovani.site_url). Required in production; in development, empty means the address each
# request came to.
SITE_URL = env_str("SITE_URL", "").rstrip("/")
if not DEBUG and not SITE_URL:
    raise ImproperlyConfigured(
        "Set the SITE_URL environment variable to the public address of the site, e.g. "
        "https://library.example: e-mails and feeds link there."
    )
if SITE_URL and not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL must start with https:// or http://; got {SITE_URL!r}.")
CLINIC_NAME = env_str("CLINIC_NAME", "Tovani")
# The rights statement of what partners receive (the code lookup's Atom <rights>).
CONTENT_RIGHTS = env_str(
    "CONTENT_RIGHTS",
    f"Copyright {CLINIC_NAME}. Show the text unaltered, credit {SITE_NAME} and link to the page.",
)

# The site's Ed25519 key, which signs every publication (reviews.signatures): SIGNING_KEY holds
# it (PEM, or the 32-byte private key in base64), or SIGNING_KEY_FILE names a file outside the
# repository holding the PEM. Production refuses to start without one: a publication nobody can
# verify is what the signature exists to prevent. `make run` writes a development key file.
SIGNING_KEY = env_str("SIGNING_KEY", "")
# In development the key file `make run` writes is the default.
SIGNING_KEY_FILE = env_str(
    "SIGNING_KEY_FILE", str(BASE_DIR / ".signing-key.dev.pem") if DEBUG else ""
)
if not DEBUG and not (SIGNING_KEY or SIGNING_KEY_FILE):
    raise ImproperlyConfigured(
        "Set SIGNING_KEY (an Ed25519 private key, PEM or base64) or SIGNING_KEY_FILE (the path "
        "of its PEM file): every publication is signed with it. "
        "`python manage.py rotate_signing_key --key-file PATH` writes a new one."
    )
# The key set (/.well-known/tovani-keys.json) may be kept this many seconds by browsers and
# shared caches; rotate_signing_key refreshes the copies at KEY_SET_REFRESH_URLS (the key set's
# address at each proxy in front, e.g. http://127.0.0.1/.well-known/tovani-keys.json) at once.
KEY_SET_MAX_AGE = env_int("KEY_SET_MAX_AGE", 60)
KEY_SET_REFRESH_URLS = env_list("KEY_SET_REFRESH_URLS", [])

# The partner API (api/, partners/). Every request needs a partner key; nothing else
# authenticates there, and only JSON is rendered.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["partners.authentication.PartnerKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["partners.authentication.HasPartnerKey"],
    # Counts the partner's usage too, in the same round trip to the cache.
    "DEFAULT_THROTTLE_CLASSES": ["partners.authentication.PartnerRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
# The API's terms as its OpenAPI document states them (info: contact, license, termsOfService).
API_CONTACT_EMAIL = env_str("API_CONTACT_EMAIL", "")
API_LICENSE_NAME = env_str("API_LICENSE_NAME", f"Copyright {CLINIC_NAME}: reuse on the API's terms")
API_LICENSE_URL = env_str("API_LICENSE_URL", "")
# Empty: the syndication statement on this site (/about/syndication/), on the request's origin.
API_TERMS_URL = env_str("API_TERMS_URL", "")
SPECTACULAR_SETTINGS = {
    "CONTACT": {
        "name": f"{SITE_NAME} API",
        **({"email": API_CONTACT_EMAIL} if API_CONTACT_EMAIL else {}),
    },
    "LICENSE": {"name": API_LICENSE_NAME, **({"url": API_LICENSE_URL} if API_LICENSE_URL else {})},
    "TOS": API_TERMS_URL or None,
    "TITLE": "Tovani clinical library API",
    "DESCRIPTION": (
        "Physician-reviewed condition pages exactly as published, for partners. "
        "Send your key in the X-API-Key header."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # 3.1, for the webhooks partners receive (api/webhook_schema.py).
    "OAS_VERSION": "3.1.0",
    "WEBHOOKS": [
        f"api.webhook_schema.{name}"
        for name in (
            "PAGE_PUBLISHED",
            "PAGE_WITHDRAWN",
            "PAGE_MOVED",
            "PAGE_REVIEW_OVERDUE",
            "TRANSLATION_STALE",
            "REFERENCE_RETRACTED",
        )
    ],
    # info.termsOfService (and the licence's url) on the served origin when not configured.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.terms_of_service",
        # FHIR's, CDS Hooks' and the key set's answers (api/standard_schemas.py).
        "api.schema.standards",
    ],
    "ENUM_NAME_OVERRIDES": {
        # Two sets of systems: those of pages' codes, and those a code lookup may name.
        "CodeSystemEnum": "conditions.codes.CodeSystem",
        "LookupSystemEnum": "conditions.lookup.LookupSystem",
        # Two fields named status: a page's evidence, and the clinic's indication.
        "EvidenceStatusEnum": "evidence.status.STATUSES",
        "IndicationStatusEnum": "conditions.models.IndicationStatus",
    },
}
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
API_MAX_AGE = env_int("API_MAX_AGE", 60)
API_CACHE_VERSION = env_str("API_CACHE_VERSION", "1")
API_USAGE_FLUSH_EVERY = env_int("API_USAGE_FLUSH_EVERY", 1000)
# Far from a partner's limit, requests a process tallies before adding them to the shared count
# (never more than 1% of the limit), and the seconds it may wait to add them (partners.rate_limit).
API_RATE_BATCH = env_int("API_RATE_BATCH", 100)
API_RATE_SYNC_SECONDS = env_int("API_RATE_SYNC_SECONDS", 1)
# Requests a minute one address may make with a missing or wrong key before it gets 429s.
API_FAILED_KEY_LIMIT = env_int("API_FAILED_KEY_LIMIT", 30)
# Code lookups a minute one address may make without a key (partners.lookup_access).
LOOKUP_ADDRESS_LIMIT = env_int("LOOKUP_ADDRESS_LIMIT", 120)
# Seconds each process remembers a valid partner key: a revoked or rotated key stops working
# within this time (0: look the key up on every request).
PARTNER_KEY_SECONDS = env_int("PARTNER_KEY_SECONDS", 10)
# Shown on every condition page whose own notice is blank; it is part of the signed document,
# so a change reaches a live page with that page's next sign-off.
DEFAULT_REGULATORY_NOTICE = env_str(
    "DEFAULT_REGULATORY_NOTICE",
    "Ketamine is approved by the U.S. Food and Drug Administration (FDA) as an anesthetic; it is "
    "not FDA-approved for most psychiatric uses, so prescribing it for conditions such as "
    "depression, PTSD or OCD is off-label. A related medicine, esketamine nasal spray "
    "(Spravato), is FDA-approved for treatment-resistant depression.",
)

# Machine translation for translators' first drafts (translations.machine): a dotted path to a
# backend class, empty for none; translations.machine.LibreTranslate talks to a LibreTranslate
# server at TRANSLATION_MACHINE_URL. Its segments always need a person's check before review.
TRANSLATION_MACHINE_BACKEND = env_str("TRANSLATION_MACHINE_BACKEND", "")
TRANSLATION_MACHINE_URL = env_str("TRANSLATION_MACHINE_URL", "")
TRANSLATION_MACHINE_API_KEY = env_str("TRANSLATION_MACHINE_API_KEY", "")
TRANSLATION_MACHINE_TIMEOUT = env_float("TRANSLATION_MACHINE_TIMEOUT", 10.0)
