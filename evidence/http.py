"""The one way the evidence watch asks PubMed and Crossref: requests, throttled, retried.

Every attempt, retries included, passes the source's throttle first, so a retry never goes
faster than the source allows (urllib3's own Retry would send a first retry at once, past the
throttle). Timeouts, 429 and 5xx answers are tried again up to EVIDENCE_ATTEMPTS times, waiting
as the source's Retry-After says, else EVIDENCE_RETRY_SECONDS doubling each time; then the run
stops with SourceUnavailable and the next run resumes where it stopped.
"""

import logging
import time

import requests
from django.conf import settings

from evidence.errors import SourceUnavailable

logger = logging.getLogger(__name__)

RETRIED_STATUSES = {429, 500, 502, 503, 504}
USER_AGENT = "tovani-evidence-watch/1.0"

_session = None


def session() -> requests.Session:
    global _session
    if _session is None:
        _session = requests.Session()
        _session.headers["User-Agent"] = _user_agent()
    return _session


def _user_agent() -> str:
    contact = settings.EVIDENCE_CONTACT_EMAIL
    return f"{USER_AGENT} (mailto:{contact})" if contact else USER_AGENT


def get(source: str, url: str, params: dict, throttle, *, missing_ok=False):
    """The answer to a GET, or None for a 404 when missing_ok. Raises SourceUnavailable."""
    attempts = max(1, settings.EVIDENCE_ATTEMPTS)
    problem = ""
    for attempt in range(1, attempts + 1):
        throttle.wait()
        try:
            response = session().get(url, params=params, timeout=settings.EVIDENCE_TIMEOUT)
        except requests.RequestException as error:
            problem = f"{source} could not be reached ({type(error).__name__})"
            wait = _backoff(attempt)
        else:
            if response.status_code == 404 and missing_ok:
                return None
            if response.status_code < 400:
                return response
            problem = f"{source} answered HTTP {response.status_code}"
            if response.status_code not in RETRIED_STATUSES:
                break
            wait = _retry_after(response) or _backoff(attempt)
        if attempt < attempts:
            logger.warning(
                "%s; attempt %d of %d, again in %.2f s", problem, attempt, attempts, wait
            )
            time.sleep(wait)
    raise SourceUnavailable(f"{problem}; the watch stopped and resumes at its next run.")


def _backoff(attempt: int) -> float:
    return settings.EVIDENCE_RETRY_SECONDS * 2 ** (attempt - 1)


def _retry_after(response) -> float | None:
    try:
        return min(float(response.headers.get("Retry-After", "")), 120.0)
    except ValueError:
        return None
