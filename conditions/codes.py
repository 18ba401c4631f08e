"""Clinical code systems and the syntax of their codes."""

import re

from django.core.exceptions import ValidationError
from django.db import models


class CodeSystem(models.TextChoices):
    DSM5 = "DSM-5", "DSM-5"
    ICD11 = "ICD-11", "ICD-11"
    ICD10CM = "ICD-10-CM", "ICD-10-CM"
    SNOMEDCT = "SNOMED CT", "SNOMED CT"


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
# A SNOMED CT identifier: 6 to 18 digits, no leading zero. Its last digit is a Verhoeff check
# digit; the two before it are the partition identifier, which says what the id names: 00 a
# concept (short format), 10 a concept in an extension's namespace (long format); 01, 02, 11
# and 12 are descriptions and relationships.
SNOMED_ID_RE = re.compile(r"^[1-9][0-9]{5,17}$")
SNOMED_CONCEPT_PARTITIONS = ("00", "10")

_ROOT_END = re.compile(r"[.&/]")

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
    CodeSystem.SNOMEDCT: (
        "“%(code)s” is not a SNOMED CT concept id: %(reason)s. A concept id is 6 to 18 digits "
        "ending in a concept's partition (00 or 10) and a check digit, such as 191736004."
    ),
}


def snomed_problem(code: str) -> str:
    """Why code is not a SNOMED CT concept id, or "" when it is one."""
    if not SNOMED_ID_RE.match(code):
        return "it must be 6 to 18 digits, the first not 0"
    if not verhoeff_valid(code):
        return "its last digit is not the Verhoeff check digit of the others (a typo?)"
    partition = code[-3:-1]
    if partition not in SNOMED_CONCEPT_PARTITIONS:
        return f"its partition identifier is {partition}, not a concept's"
    return ""


# Verhoeff's dihedral-group check digit, as SNOMED CT uses it: multiplication, permutation.
_VERHOEFF_D = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VERHOEFF_P = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]


def verhoeff_valid(digits: str) -> bool:
    """Whether the last digit of digits is the Verhoeff check digit of the ones before it."""
    check = 0
    for position, digit in enumerate(reversed(digits)):
        check = _VERHOEFF_D[check][_VERHOEFF_P[position % 8][int(digit)]]
    return check == 0


def is_valid_code(system: str, code: str) -> bool:
    if system == CodeSystem.ICD11:
        return bool(ICD11_RE.match(code))
    if system == CodeSystem.ICD10CM:
        return bool(ICD10CM_RE.match(code))
    if system == CodeSystem.DSM5:
        return bool(ICD9CM_RE.match(code) or ICD10CM_RE.match(code))
    if system == CodeSystem.SNOMEDCT:
        return not snomed_problem(code)
    return False


def validate_code(system: str, code: str):
    """Raise a ValidationError on the code field when code is not valid in system."""
    if system not in CodeSystem.values:
        raise ValidationError({"system": f"Choose one of {', '.join(CodeSystem.values)}."})
    if not is_valid_code(system, code):
        params = {"code": code}
        if system == CodeSystem.SNOMEDCT:
            params["reason"] = snomed_problem(code)
        raise ValidationError(
            {"code": ValidationError(_MESSAGES[system], code="invalid_code", params=params)}
        )


def root(code: str) -> str:
    """What a code and every code above or within it begin with: F42 for F42.21."""
    return _ROOT_END.split(code, maxsplit=1)[0]


def broader(code: str) -> list[str]:
    """The codes above code, nearest first: [F42.2, F42] for F42.21."""
    found = []
    stem = re.split(r"[&/]", code, maxsplit=1)[0]
    if stem != code:
        found.append(stem)
    head, dot, tail = stem.partition(".")
    found += [f"{head}.{tail[:end]}" for end in range(len(tail) - 1, 0, -1)]
    if dot:
        found.append(head)
    return found
