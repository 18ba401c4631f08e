"""Validation of bibliographic identifiers, with messages an editor can act on."""

import re

from django.core.exceptions import ValidationError

PMID_RE = re.compile(r"^[1-9][0-9]{0,8}$")
# Crossref's recommended pattern for modern DOIs: "10." + registrant code + "/" + suffix.
DOI_RE = re.compile(r"^10\.\d{4,9}/[^\s]+$")
PMCID_RE = re.compile(r"^PMC[0-9]{1,9}$")
# Letters, digits and _ : . - inside, but it must end on a letter, digit or _, so that
# "[@smith2013]." or "[@smith2013:]" never reads the punctuation as part of the key.
CITEKEY_PATTERN = r"[A-Za-z](?:[A-Za-z0-9_:.\-]*[A-Za-z0-9_])?"
CITEKEY_RE = re.compile(rf"^{CITEKEY_PATTERN}$")


def validate_pmid(value):
    if not PMID_RE.match(value or ""):
        raise ValidationError(
            "Enter a PubMed ID as digits only, for example 23783065 (got %(value)r).",
            code="invalid_pmid",
            params={"value": value},
        )


def validate_doi(value):
    if not DOI_RE.match(value or ""):
        raise ValidationError(
            "Enter a DOI such as 10.1038/npp.2013.150: it starts with “10.”, then a "
            "registrant number, a slash and a suffix, without “https://doi.org/” (got %(value)r).",
            code="invalid_doi",
            params={"value": value},
        )


def validate_pmcid(value):
    if not PMCID_RE.match(value or ""):
        raise ValidationError(
            "Enter a PubMed Central ID such as PMC3799063 (got %(value)r).",
            code="invalid_pmcid",
            params={"value": value},
        )


def validate_citekey(value):
    if not CITEKEY_RE.match(value or ""):
        raise ValidationError(
            "A citekey starts with a letter, holds only letters, digits and _ : . - and ends "
            "on a letter or digit (for example rodriguez2013); got %(value)r.",
            code="invalid_citekey",
            params={"value": value},
        )


def normalize_doi(value: str) -> str:
    """Strip the resolver prefixes people paste with a DOI; DOIs compare case-insensitively."""
    value = (value or "").strip()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value.strip()


def normalize_pmcid(value: str) -> str:
    """“pmc3799063” or “PMCID: PMC3799063” as pasted becomes PMC3799063."""
    value = (value or "").strip()
    if value.upper().startswith("PMCID:"):
        value = value[len("PMCID:") :].strip()
    return value.upper() if value.lower().startswith("pmc") else value
