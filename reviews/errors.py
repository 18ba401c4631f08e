class WorkflowError(Exception):
    """A workflow step was refused; the message says why, in words shown as-is to the person."""


class AppendOnlyError(Exception):
    """Sign-offs and publications are records: they are never changed or deleted."""


class SigningKeyError(WorkflowError):
    """The site's signing key is missing or unreadable; nothing can be published until it is."""
