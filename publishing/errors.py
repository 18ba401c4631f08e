class RegistrationError(Exception):
    """A kind of page was registered wrongly."""


class AlreadyRegistered(RegistrationError):
    """The model is already registered as a kind of page."""


class NotRegistered(RegistrationError):
    """The model is not a registered kind of page."""
