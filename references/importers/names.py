"""Author names in the library's Vancouver form: “Rodriguez CI”, surname then initials."""

import re

_INITIALS = re.compile(r"^[A-Z]{1,4}$")
_GIVEN_PARTS = re.compile(r"[\s.\-]+")


def vancouver_name(family: str, given: str = "") -> str:
    """“Rodriguez”, “Carolyn I.” → “Rodriguez CI”; “Jean-Pierre” gives “JP”."""
    family = " ".join((family or "").split())
    initials = "".join(_initials_of(part) for part in _GIVEN_PARTS.split(given or "") if part)
    return f"{family} {initials}".strip()


def vancouver_from_text(name: str) -> str:
    """A name as reference managers write it: “Rodriguez, Carolyn I.”, “Carolyn I. Rodriguez”
    or already “Rodriguez CI”. A name without a comma or initials is kept as written."""
    name = " ".join((name or "").split()).strip(" ,;")
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return vancouver_name(family, given)
    words = name.split(" ")
    if any(word.endswith(".") for word in words[:-1]):
        return vancouver_name(words[-1], " ".join(words[:-1]))  # “Carolyn I. Rodriguez”
    return name  # already “Rodriguez CI”, or a collective author such as “GENCODE Consortium”


def surname(vancouver: str) -> str:
    """The surname of a Vancouver name: “Rosa-Alcázar AI” → “Rosa-Alcázar”."""
    words = (vancouver or "").split()
    if len(words) > 1 and _INITIALS.match(words[-1]):
        words = words[:-1]
    return " ".join(words)


def _initials_of(part: str) -> str:
    # “CI” written as initials stays “CI”; a given name gives its first letter.
    if _INITIALS.match(part):
        return part
    letters = [char for char in part if char.isalpha()]
    return letters[0].upper() if letters else ""
