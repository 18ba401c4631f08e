class PartnerError(Exception):
    """A partner or key operation was refused; the message says why, shown as-is."""
