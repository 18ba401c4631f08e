"""Checks on the facts a reviewer's public profile states."""

from django.core.exceptions import ValidationError

# CMS's National Provider Identifier: 10 digits whose last is a Luhn check digit computed over
# the card-issuer prefix 80840 followed by the first nine digits.
NPI_PREFIX = "80840"


def npi_check_digit(first_nine: str) -> int:
    """The Luhn check digit of an NPI's first nine digits, prefix included."""
    total = 0
    for position, char in enumerate(reversed(NPI_PREFIX + first_nine)):
        digit = int(char)
        if position % 2 == 0:  # doubled: the rightmost digit of the payload, then every other
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return (10 - total % 10) % 10


def validate_npi(value: str):
    if not (len(value) == 10 and value.isascii() and value.isdigit()):
        raise ValidationError("An NPI is 10 digits, for example 1234567893.", code="npi_format")
    if npi_check_digit(value[:9]) != int(value[9]):
        raise ValidationError(
            "This is not a valid NPI: its last digit does not match its check digit. "
            "Copy it again from the NPPES registry.",
            code="npi_check_digit",
        )
