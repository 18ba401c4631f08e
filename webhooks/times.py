"""How events and deliveries write a moment: ISO 8601 in UTC ending in Z, as the API does."""

from datetime import UTC


def moment(value) -> str:
    """A time as the API writes it: ISO 8601 in UTC with Z, as DRF does."""
    text = value.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"
