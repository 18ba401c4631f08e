class WorkflowError(Exception):
    """A workflow step was refused; the message says why, in words shown as-is to the person."""


class AppendOnlyError(Exception):
    """Sign-offs and publications are records: they are never changed or deleted."""
