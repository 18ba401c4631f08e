"""Validation of bibliographic identifiers, with messages an editor can act on."""

import re
from urllib.parse import unquote

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


# Characters that print as nothing but change what a string is: zero-width spaces and joiners,
# direction marks and embeddings (a DOI with a right-to-left override looks right and resolves
# nowhere), the byte-order mark, the soft hyphen; and the C0/C1 controls other than whitespace.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)
_DOI_PREFIX = re.compile(
    r"^(?:https?://(?:dx\.|www\.)?doi\.org/|doi\.org/|doi\s*:?\s*(?=10\.))", re.IGNORECASE
)
_PMID_PREFIX = re.compile(
    r"^(?:PMID\s*:?\s*|https?://(?:pubmed\.ncbi\.nlm\.nih\.gov/|(?:www\.)?ncbi\.nlm\.nih\.gov/pubmed/))",
    re.IGNORECASE,
)
_PMCID_PREFIX = re.compile(
    r"^(?:PMCID\s*:?\s*|https?://(?:pmc\.ncbi\.nlm\.nih\.gov/articles/|(?:www\.)?ncbi\.nlm\.nih\.gov/pmc/articles/))",
    re.IGNORECASE,
)


def strip_invisible(text: str) -> str:
    """The text without zero-width, direction-control and other invisible characters."""
    return _INVISIBLE.sub("", text or "")


def normalize_doi(value: str) -> str:
    """Strip the resolver prefixes people paste with a DOI (“https://doi.org/”, “doi: ”), and a
    final period left by a sentence; DOIs compare case-insensitively."""
    value = strip_invisible(value).strip()
    value = _DOI_PREFIX.sub("", value).strip()
    if value.lower().startswith("10.") and "%2f" in value.lower():
        value = unquote(value)  # a resolver URL copied with its slash encoded
    return value.rstrip(".")


def normalize_pmid(value: str) -> str:
    """“PMID: 23982301”, “pmid 23982301” or its PubMed address as pasted becomes 23982301."""
    value = _PMID_PREFIX.sub("", strip_invisible(value).strip())
    return value.strip().rstrip("/.;").strip()


def normalize_pmcid(value: str) -> str:
    """“pmc3799063”, “PMCID: PMC3799063” or its PMC address as pasted becomes PMC3799063."""
    value = _PMCID_PREFIX.sub("", strip_invisible(value).strip()).strip().rstrip("/.;")
    return value.upper() if value.lower().startswith("pmc") else value
