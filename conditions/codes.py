"""Clinical code systems and the syntax of their codes."""

import re

from django.core.exceptions import ValidationError
from django.db import models


class CodeSystem(models.TextChoices):
    DSM5 = "DSM-5", "DSM-5"
    ICD11 = "ICD-11", "ICD-11"
    ICD10CM = "ICD-10-CM", "ICD-10-CM"


# ICD-11 MMS: a stem code such as 6B20 or 6B20.0 (the letters I and O are never used), optionally
# joined with "&" to extension codes (XS25) or with "/" to another stem code.
_ICD11_LETTER = "A-HJ-NP-Z"
_ICD11_CHAR = f"0-9{_ICD11_LETTER}"
_ICD11_STEM = rf"[{_ICD11_CHAR}][{_ICD11_LETTER}][0-9][{_ICD11_CHAR}](?:\.[{_ICD11_CHAR}]{{1,2}})?"
_ICD11_EXTENSION = rf"X[{_ICD11_CHAR}]{{2,6}}"
ICD11_RE = re.compile(rf"^{_ICD11_STEM}(?:[&/](?:{_ICD11_STEM}|{_ICD11_EXTENSION}))*$")
ICD10CM_RE = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$")
ICD9CM_RE = re.compile(
    r"^(?:[0-9]{3}(?:\.[0-9]{1,2})?|V[0-9]{2}(?:\.[0-9]{1,2})?|E[0-9]{3}(?:\.[0-9])?)$"
)

_MESSAGES = {
    CodeSystem.ICD11: (
        "“%(code)s” is not an ICD-11 code. An ICD-11 code is a stem such as 6B20 or 6B20.0, "
        "optionally with extension codes joined by & (6B20&XS25)."
    ),
    CodeSystem.ICD10CM: (
        "“%(code)s” is not an ICD-10-CM code. An ICD-10-CM code is a letter, two characters and "
        "an optional dotted suffix, such as F42.2."
    ),
    CodeSystem.DSM5: (
        "“%(code)s” is not a code DSM-5 lists. DSM-5 has no codes of its own: it gives the "
        "ICD-9-CM form (such as 300.3) or the ICD-10-CM form (such as F42.2)."
    ),
}


def is_valid_code(system: str, code: str) -> bool:
    if system == CodeSystem.ICD11:
        return bool(ICD11_RE.match(code))
    if system == CodeSystem.ICD10CM:
        return bool(ICD10CM_RE.match(code))
    if system == CodeSystem.DSM5:
        return bool(ICD9CM_RE.match(code) or ICD10CM_RE.match(code))
    return False


def validate_code(system: str, code: str):
    """Raise a ValidationError on the code field when code is not valid in system."""
    if system not in CodeSystem.values:
        raise ValidationError({"system": f"Choose one of {', '.join(CodeSystem.values)}."})
    if not is_valid_code(system, code):
        raise ValidationError(
            {"code": ValidationError(_MESSAGES[system], code="invalid_code", params={"code": code})}
        )
