class ReportRefused(Exception):
    """A reader's report was not accepted; the message says why, in words shown to the reader."""

    status = 400


class TooManyReports(ReportRefused):
    """The address sent more reports this hour than FEEDBACK_REPORTS_PER_HOUR allows."""

    status = 429
