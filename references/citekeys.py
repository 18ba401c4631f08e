"""Citekeys: made from the first author's surname and the year, renamed everywhere at once."""

import itertools
import re
import unicodedata

import reversion
from django.db import transaction

from references import usage
from references.importers.names import surname
from references.models import Reference

# Letters NFKD does not decompose into an ASCII letter and an accent.
_ASCII = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "þ": "th", "ð": "d"}
)


def citekey_base(authors: list[str], year) -> str:
    """“Rosa-Alcázar AI”, 2008 → “rosaalcazar2008”."""
    name = surname(authors[0]).lower() if authors else ""
    folded = unicodedata.normalize("NFKD", name.translate(_ASCII)).encode("ascii", "ignore")
    letters = re.sub(r"[^a-z]", "", folded.decode()) or "anon"
    return f"{letters}{year or ''}"


def next_free(base: str, taken, first: int = 0) -> str:
    """base, else base + a, b, … z, aa, ab, …: the first one not taken, looking from the
    first-th of them (an import giving out many keys of one base starts where it left off)."""
    for number in itertools.count(first):
        key = base + _suffix(number - 1) if number else base
        if key not in taken:
            return key
    raise AssertionError("unreachable")  # count() never ends


def _suffix(number: int) -> str:
    """0 → a, 25 → z, 26 → aa, 27 → ab, …"""
    suffix = ""
    while True:
        suffix = chr(ord("a") + number % 26) + suffix
        number = number // 26 - 1
        if number < 0:
            return suffix


def generate_citekey(authors: list[str], year, reserved=()) -> str:
    """A free citekey for a new reference; ``reserved`` holds keys given out but not saved."""
    base = citekey_base(authors, year)
    taken = set(
        Reference.objects.filter(citekey__startswith=base).values_list("citekey", flat=True)
    )
    return next_free(base, taken | set(reserved))


def rename_citekey(reference: Reference, new_key: str, *, user=None) -> list[usage.Citation]:
    """Give the reference a new citekey and rewrite every [@old] citation of it, atomically and
    in one revision. Raises ValidationError if the key is malformed or taken."""
    old = Reference.objects.values_list("citekey", flat=True).get(pk=reference.pk)
    new_key = (new_key or "").strip()
    with transaction.atomic(), reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(f"Renamed the citekey @{old} to @{new_key}, with its citations.")
        reference.citekey = new_key
        reference.full_clean()
        reference.save()
        return usage.rewrite_citekey(old, new_key) if new_key != old else []
