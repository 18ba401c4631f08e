"""Code lookup: which live pages answer a clinical code a partner's system sends.

A code is looked up exactly first. When no live page has it, the lookup falls back in two
steps, each only when the one before found nothing:

1. Codes within it. A category code finds the pages coded with its subcategories: F42 finds a
   page coded F42.2, 6B20 a page coded 6B20.0 or 6B20&XS25.
2. Broader codes, nearest first, found by truncating the code as MedlinePlus Connect does:
   F42.21, then F42.2, then F42; 6B20.0&XS25, then 6B20.0, then 6B20.

SNOMED CT ids carry no hierarchy in their digits: they match exactly. DSM-5 has no codes of its
own, it gives the ICD-9-CM or ICD-10-CM form, so a page's DSM-5 code is found by an ICD-9-CM or
ICD-10-CM lookup of the same code. Every candidate shares the code's root (the part before its
first ".", "&" or "/"), so the live codes under that root, read in one indexed query, hold
every answer.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models

from conditions import selectors
from conditions.codes import ICD9CM_RE, CodeSystem, broader, root, validate_code


class LookupSystem(models.TextChoices):
    """The code systems a lookup may name: the pages' own, and ICD-9-CM (DSM-5's codes)."""

    ICD10CM = "ICD-10-CM", "ICD-10-CM"
    ICD11 = "ICD-11", "ICD-11"
    SNOMEDCT = "SNOMED CT", "SNOMED CT"
    DSM5 = "DSM-5", "DSM-5"
    ICD9CM = "ICD-9-CM", "ICD-9-CM"


# The systems of pages' codes that a lookup in each system searches.
SEARCHED = {
    LookupSystem.ICD10CM: (CodeSystem.ICD10CM, CodeSystem.DSM5),
    LookupSystem.ICD11: (CodeSystem.ICD11,),
    LookupSystem.SNOMEDCT: (CodeSystem.SNOMEDCT,),
    LookupSystem.DSM5: (CodeSystem.DSM5, CodeSystem.ICD10CM),
    LookupSystem.ICD9CM: (CodeSystem.DSM5,),
}

EXACT, NARROWER, BROADER = "exact", "narrower", "broader"

# An ICD-10-CM code sent without its dot (F422): the dot follows the third character.
_UNDOTTED_ICD10CM = re.compile(r"^([A-Z][0-9][0-9A-Z])([0-9A-Z]{1,4})$")


def normalized(system: str, code: str) -> str:
    """The code as pages store it (upper case, ICD-10-CM dotted), or a ValidationError on
    `code` saying why it is not a code of system."""
    code = (code or "").strip().upper()
    if system == LookupSystem.ICD10CM:
        code = _UNDOTTED_ICD10CM.sub(r"\1.\2", code)
    if system == LookupSystem.ICD9CM:
        if not ICD9CM_RE.match(code):
            raise ValidationError(
                {"code": f"“{code}” is not an ICD-9-CM code, such as 300.3 or V62.89."}
            )
    else:
        validate_code(system, code)
    return code


def closeness(asked: str, coded: str) -> tuple[int, str] | None:
    """How a page's code answers the code asked: (rank, kind), lower ranks nearer; None when
    it does not (a sibling such as F42.8 for F42.2)."""
    if coded == asked:
        return 0, EXACT
    if asked in broader(coded):
        return 1, NARROWER
    above = broader(asked)
    if coded in above:
        return 2 + above.index(coded), BROADER
    return None


@dataclass
class Answer:
    """One live page that answers a lookup, with the codes of it that matched."""

    entry: object  # conditions.read_model.SearchEntry, with its publication's sign-off
    codes: list = field(default_factory=list)  # CodeListing rows


@dataclass
class Lookup:
    system: str
    code: str
    match: str | None = None  # EXACT, NARROWER or BROADER; None when nothing answers
    answers: list[Answer] = field(default_factory=list)


def look_up(system: str, code: str) -> Lookup:
    """The live pages answering a normalized code of a LookupSystem, by title: those of the
    nearest rank found (see the module's docstring). One query, whatever the number."""
    found = Lookup(system, code)
    ranked = []
    for listing in selectors.live_codes(SEARCHED[system], root(code)):
        if near := closeness(code, listing.code):
            ranked.append((near, listing))
    if not ranked:
        return found
    (best, found.match) = min(near for near, _ in ranked)
    answers = {}
    for (rank, _), listing in ranked:
        if rank == best:
            answers.setdefault(listing.entry_id, Answer(listing.entry)).codes.append(listing)
    found.answers = sorted(answers.values(), key=lambda a: (a.entry.title.lower(), a.entry.slug))
    return found
