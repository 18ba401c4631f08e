"""Receiving reader reports: the checks that keep spam and abuse out of the editors' queue."""

import re
import time

from django.conf import settings
from django.core.cache import cache

from feedback.errors import ReportRefused, TooManyReports
from feedback.models import Report

MAX_LINKS = 2
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
RATE_WINDOW_SECONDS = 3600


def client_address(request) -> str:
    """The address a report came from, for the rate limit only (it is never stored)."""
    return request.META.get("REMOTE_ADDR", "")


def receive(form, publication, address: str, honeypot: str) -> Report:
    """Save a valid form's report about publication, or raise ReportRefused saying why."""
    if honeypot:
        raise ReportRefused("Your report could not be accepted. Please try again.")
    if len(_LINK.findall(form.cleaned_data["message"])) > MAX_LINKS:
        raise ReportRefused(
            f"A report may contain at most {MAX_LINKS} web links. Please describe the problem "
            "in words."
        )
    _count_against_limit(address)
    report = form.save(commit=False)
    report.publication = publication
    report.page_title = publication.title
    report.full_clean()
    report.save()
    return report


def _count_against_limit(address: str):
    """A fixed one-hour window per address, counted in the cache (Redis in production)."""
    window = int(time.time() // RATE_WINDOW_SECONDS)
    key = f"feedback:reports:{address}:{window}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, RATE_WINDOW_SECONDS)
        count = 1
    if count > settings.FEEDBACK_REPORTS_PER_HOUR:
        raise TooManyReports(
            "We have received several reports from your network in the last hour. "
            "Please try again later."
        )
