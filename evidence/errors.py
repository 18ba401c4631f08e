"""The evidence watch's refusals and failures."""


class SourceUnavailable(Exception):
    """PubMed or Crossref could not be asked, or kept failing: the run stops, to resume later."""


class EvidenceError(Exception):
    """A step on a finding or an inbox record that is refused; the message is shown as-is."""
