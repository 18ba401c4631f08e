"""gunicorn settings for production: `gunicorn tovani.wsgi -c deploy/gunicorn.conf.py`."""

import multiprocessing
import os
import re

from gunicorn import glogging

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: each request is short and database-bound; two a core plus one, as gunicorn advises.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
timeout = 30
graceful_timeout = 30
# A worker's resident memory creeps up slowly under sustained load (make soak measures it);
# replacing each worker after this many requests, staggered, keeps it bounded.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 50_000))
max_requests_jitter = max_requests // 10
accesslog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


# The code lookup takes a partner's key as its api_key query parameter (for EHRs configured with
# a URL template only): the access log writes the address without the key's value.
_KEY_IN_QUERY = re.compile(r"(?i)((?:^|[?&])api_key=)[^&#\s]*")


def without_keys(text: str) -> str:
    return _KEY_IN_QUERY.sub(r"\1[redacted]", text or "")


class AccessLogWithoutKeys(glogging.Logger):
    def access(self, resp, req, environ, request_time):
        environ = {
            **environ,
            "RAW_URI": without_keys(environ.get("RAW_URI", "")),
            "QUERY_STRING": without_keys(environ.get("QUERY_STRING", "")),
            "HTTP_REFERER": without_keys(environ.get("HTTP_REFERER", "")) or "-",
        }
        super().access(resp, req, environ, request_time)


logger_class = AccessLogWithoutKeys
