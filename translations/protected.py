"""What a translation must carry over exactly: citations, codes, PMIDs, numbers, doses, units.

A translator rewrites words, never facts: "[@murrough2013]" stays, "20 mg" stays 20 mg, and
"24 hours" may become "24 horas" but not "12 horas". Units are compared by meaning (hours and
horas are one unit) and decimals by value (Spanish writes 0,5 where English writes 0.5).
"""

import re
from collections import Counter

from references.citations import CITATION_GROUP, citekeys_in

# A unit after a number, in English or Spanish, mapped to one name.
_UNITS = {
    "mg/kg": "mg/kg",
    "mg": "mg",
    "mcg": "mcg",
    "µg": "mcg",
    "μg": "mcg",
    "g": "g",
    "kg": "kg",
    "ml": "ml",
    "mL": "ml",
    "%": "%",
    "hours": "h",
    "hour": "h",
    "horas": "h",
    "hora": "h",
    "h": "h",
    "minutes": "min",
    "minute": "min",
    "minutos": "min",
    "minuto": "min",
    "min": "min",
    "days": "d",
    "day": "d",
    "días": "d",
    "día": "d",
    "dias": "d",
    "weeks": "wk",
    "week": "wk",
    "semanas": "wk",
    "semana": "wk",
    "months": "mo",
    "month": "mo",
    "meses": "mo",
    "mes": "mo",
    "years": "y",
    "year": "y",
    "años": "y",
    "año": "y",
    "sessions": "session",
    "session": "session",
    "sesiones": "session",
    "sesión": "session",
}
_UNIT_PATTERN = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_QUANTITY = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)*)(?:\s*(?:-|–|to|a)\s*(\d+(?:[.,]\d+)*))?"
    r"(?:[\s\u00a0]*(" + _UNIT_PATTERN + r")(?![\w/]))?"
)
# Codes a partner's system reads: ICD-10 (F42.2), SNOMED CT ids are caught as numbers; PMIDs.
_CODE = re.compile(r"\b[A-TV-Z]\d{2}(?:\.\w{1,4})?\b")


def problems(label: str, english: str, translated: str) -> list[str]:
    """Why the translation of one segment is refused (empty: every protected token kept)."""
    if not (translated or "").strip():
        return []
    found = []
    missing = Counter(citekeys_in(english)) - Counter(citekeys_in(translated))
    added = Counter(citekeys_in(translated)) - Counter(citekeys_in(english))
    for key in sorted(missing):
        found.append(f"“{label}” drops the citation [@{key}].")
    for key in sorted(added):
        found.append(f"“{label}” cites [@{key}], which the English does not.")
    for code in sorted(Counter(_codes(english)) - Counter(_codes(translated))):
        found.append(f"“{label}” drops the code {code}.")
    english_quantities = Counter(quantities(english))
    translated_quantities = Counter(quantities(translated))
    lost = english_quantities - translated_quantities
    gained = translated_quantities - english_quantities
    if lost or gained:
        found.append(
            f"“{label}” changes a number or unit: the English has "
            f"{_listing(lost) or 'nothing more'}, the translation has "
            f"{_listing(gained) or 'nothing in its place'}."
        )
    return found


def quantities(text: str) -> list[tuple[str, str]]:
    """(number, unit) of every number in text, citations left out; a range is two numbers."""
    text = CITATION_GROUP.sub(" ", text or "")
    found = []
    for match in _QUANTITY.finditer(text):
        low, high, unit = match.groups()
        name = _UNITS.get(unit, "") if unit else ""
        for number in filter(None, [low, high]):
            found.append((_number(number), name))
    return found


def _number(text: str) -> str:
    """One spelling per value: 0,5 and 0.5 are one number; 1,000 and 1.000 are one number."""
    return text.replace(",", ".")


def _codes(text: str) -> list[str]:
    return _CODE.findall(CITATION_GROUP.sub(" ", text or ""))


def _listing(counter: Counter) -> str:
    return ", ".join(
        f"“{number}{' ' + unit if unit else ''}”" for number, unit in sorted(counter.elements())
    )
