"""Receiving reader reports: the checks that keep spam and abuse out of the editors' queue."""

import re

from django.conf import settings

from feedback.errors import ReportRefused, TooManyReports
from feedback.models import Report
from tovani import throttle

MAX_LINKS = 2
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
RATE_WINDOW_SECONDS = 3600


def receive(form, publication, request, honeypot: str) -> Report:
    """Save a valid form's report about publication, or raise ReportRefused saying why."""
    if honeypot:
        raise ReportRefused("Your report could not be accepted. Please try again.")
    if len(_LINK.findall(form.cleaned_data["message"])) > MAX_LINKS:
        raise ReportRefused(
            f"A report may contain at most {MAX_LINKS} web links. Please describe the problem "
            "in words."
        )
    _count_against_limit(request)
    report = form.save(commit=False)
    report.publication = publication
    report.page_title = publication.title
    report.full_clean()
    report.save()
    return report


def _count_against_limit(request):
    """A fixed one-hour window per client address (the address is never stored)."""
    verdict = throttle.count_client(
        request, "feedback:reports", settings.FEEDBACK_REPORTS_PER_HOUR, RATE_WINDOW_SECONDS
    )
    if not verdict.allowed:
        raise TooManyReports(
            "We have received several reports from your network in the last hour. "
            "Please try again later."
        )
