"""Putting imported references in the library: the one place that deduplicates and saves.

A parsed record that is already in the library (same PMID, same DOI, or the same title, year
and first author) is not saved again: the import reports the existing reference instead. A
title close to one in the library is saved, with a warning. Everything is saved in one
transaction and one django-reversion revision, or nothing is.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction

from references.citekeys import generate_citekey
from references.errors import ImportFormatError
from references.importers.names import surname
from references.importers.parsed import ParsedReference
from references.models import Reference

NEAR_DUPLICATE_RATIO = 0.9


class Status:
    NEW = "new"
    IN_LIBRARY = "in_library"
    REPEATED = "repeated"  # the same reference twice in one import


@dataclass
class Outcome:
    """What the import does with one parsed record."""

    parsed: ParsedReference
    reference: Reference  # the existing reference, or the new one (unsaved in a preview)
    status: str
    matched_by: str = ""
    warnings: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why the new reference cannot be saved

    @property
    def is_new(self) -> bool:
        return self.status == Status.NEW

    def describe(self) -> str:
        if self.status == Status.IN_LIBRARY:
            return f"already in the library as @{self.reference.citekey} (same {self.matched_by})"
        if self.status == Status.REPEATED:
            return f"repeats @{self.reference.citekey} of the same import (same {self.matched_by})"
        return f"new reference @{self.reference.citekey}"


@dataclass
class ImportReport:
    outcomes: list[Outcome]

    @property
    def created(self) -> list[Reference]:
        return [outcome.reference for outcome in self.outcomes if outcome.is_new]

    @property
    def existing(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.is_new]

    @property
    def warnings(self) -> list[str]:
        return [
            f"{outcome.parsed.describe()}: {warning}"
            for outcome in self.outcomes
            for warning in outcome.warnings
        ]

    def summary(self) -> str:
        created, existing = len(self.created), len(self.existing)
        text = f"{created} new reference{'s' if created != 1 else ''}"
        if existing:
            text += f", {existing} already in the library and not added again"
        return text + "."


def preview_import(parsed: list[ParsedReference]) -> ImportReport:
    """What save_imported() would do, saving nothing; outcome.problems say what would fail."""
    report = ImportReport(_Planner().plan(parsed))
    for outcome in report.outcomes:
        if outcome.is_new:
            outcome.problems = _problems(outcome)
    return report


def save_imported(parsed: list[ParsedReference], *, user=None, comment="") -> ImportReport:
    """Save the new references, link the known ones, all or nothing, in one revision.

    Raises ImportFormatError naming the record when a reference would be invalid.
    """
    with transaction.atomic(), reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        report = ImportReport(_Planner().plan(parsed))
        new = [outcome for outcome in report.outcomes if outcome.is_new]
        problems = [problem for outcome in new for problem in _problems(outcome)]
        if problems:
            raise ImportFormatError(*problems)
        for outcome in new:
            outcome.reference.save()
        reversion.set_comment(comment or f"Imported references: {report.summary()}")
    return report


def normalized_title(title: str) -> str:
    text = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


class _Planner:
    """Decides, record by record, whether a reference is new, known or repeated."""

    def __init__(self):
        self.library = list(Reference.objects.values_list("citekey", "title"))
        self.new: list[Reference] = []
        self.reserved: set[str] = set()

    def plan(self, parsed) -> list[Outcome]:
        return [self._outcome(record) for record in parsed]

    def _outcome(self, parsed: ParsedReference) -> Outcome:
        repeated = _match(parsed, self.new)
        if repeated:
            return Outcome(parsed, repeated[0], Status.REPEATED, repeated[1])
        existing = _match_in_library(parsed)
        if existing:
            reference, how = existing
            return Outcome(
                parsed, reference, Status.IN_LIBRARY, how, _missing_ids(parsed, reference)
            )
        reference = Reference(**parsed.reference_fields())
        reference.citekey = generate_citekey(parsed.authors, parsed.year, self.reserved)
        self.reserved.add(reference.citekey)
        self.new.append(reference)
        return Outcome(parsed, reference, Status.NEW, warnings=self._near_duplicates(parsed))

    def _near_duplicates(self, parsed) -> list[str]:
        title = normalized_title(parsed.title)
        warnings = []
        for citekey, other in self.library:
            matcher = difflib.SequenceMatcher(None, title, normalized_title(other))
            if matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO:
                ratio = matcher.ratio()
                if ratio >= NEAR_DUPLICATE_RATIO:
                    warnings.append(
                        f"its title is close to that of @{citekey} ({ratio:.0%} alike): "
                        f"“{other}”. Check that it is not the same article."
                    )
        return warnings


def _match_in_library(parsed):
    if parsed.pmid:
        found = Reference.objects.filter(pmid=parsed.pmid).first()
        if found:
            return found, "PMID"
    if parsed.doi:
        found = Reference.objects.filter(doi__iexact=parsed.doi).first()
        if found:
            return found, "DOI"
    if parsed.title and parsed.year:
        candidates = Reference.objects.filter(year=parsed.year)
        return _match(parsed, candidates, identifiers=False)
    return None


def _match(parsed, references, identifiers=True):
    """The first reference that is the parsed record, and by what it matched."""
    title = normalized_title(parsed.title)
    for reference in references:
        if identifiers and parsed.pmid and reference.pmid == parsed.pmid:
            return reference, "PMID"
        if identifiers and parsed.doi and reference.doi.lower() == parsed.doi.lower():
            return reference, "DOI"
        if (
            reference.year == parsed.year
            and normalized_title(reference.title) == title
            and _same_first_author(parsed, reference)
        ):
            return reference, "title, year and first author"
    return None


def _same_first_author(parsed, reference) -> bool:
    ours, theirs = surname(parsed.first_author), surname(reference.first_author)
    return not ours or not theirs or normalized_title(ours) == normalized_title(theirs)


def _missing_ids(parsed, reference) -> list[str]:
    labels = {"pmid": "PMID", "doi": "DOI", "pmcid": "PMCID"}
    return [
        f"the import has {label} {getattr(parsed, name)}, which @{reference.citekey} lacks; "
        "add it by hand if it is the same article."
        for name, label in labels.items()
        if getattr(parsed, name) and not getattr(reference, name)
    ]


def _problems(outcome: Outcome) -> list[str]:
    """Why the new reference would not validate, each message naming its record."""
    try:
        outcome.reference.full_clean()
    except ValidationError as error:
        where = outcome.parsed.describe()
        return [
            f"{where}: {_label(name)}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        ]
    return []


def _label(name: str) -> str:
    if name == "__all__":
        return "reference"
    return str(Reference._meta.get_field(name).verbose_name)
