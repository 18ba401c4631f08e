"""How the workflow names people and moments in the messages it shows as-is."""

from django.utils import formats, timezone


def person(user) -> str:
    if user is None:
        return "The system"
    return user.get_full_name() or user.get_username()


def day(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "F j, Y")


def moment(at) -> str:
    """A date and time in the active zone, named: what one person reads, another can place."""
    shown = formats.date_format(timezone.localtime(at), "F j, Y, H:i")
    return f"{shown} ({timezone.get_current_timezone_name()})"
