"""Putting imported references in the library: the one place that deduplicates and saves.

A parsed record that is already in the library (same PMID, same DOI, or the same title, year
and first author) is not saved again: the import reports the existing reference instead. A
title close to one in the library is saved, with a warning. The same reference twice in one
file is saved once and reported; two records of one file with the same PMID or DOI but another
title are a problem (one identifier is wrong), and refuse the import.

import_references() plans, validates and saves in one transaction and one django-reversion
revision; it rolls everything back when any record has a problem, or for a dry run, so a dry
run is the import itself, undone. Planning costs time linear in the records and the library:
the library is read once into indexes, never searched record by record.
"""

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

import reversion
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from references.citekeys import citekey_base, next_free
from references.errors import ImportFormatError
from references.formatting import ama_citation
from references.importers.names import surname
from references.importers.parsed import ParsedReference
from references.models import Reference

NEAR_DUPLICATE_RATIO = 0.9
# Near-duplicate titles are looked for among the library titles sharing one of a title's
# rarest words; a word in more titles than this is too common to narrow the search.
_COMMON_WORD_TITLES = 300
_BATCH = 500


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
    problems: list[str] = field(default_factory=list)  # why the import cannot save it

    @property
    def is_new(self) -> bool:
        return self.status == Status.NEW

    def describe(self) -> str:
        if self.status == Status.IN_LIBRARY:
            return f"already in the library as @{self.reference.citekey} (same {self.matched_by})"
        if self.status == Status.REPEATED:
            return f"repeats @{self.reference.citekey} of the same import (same {self.matched_by})"
        return f"new reference @{self.reference.citekey}"

    def as_json(self) -> dict:
        """The record as the import saves it (or finds it), with its AMA citation."""
        reference = self.reference
        return {
            "record": self.parsed.record,
            "line": self.parsed.line,
            "status": self.status,
            "citekey": reference.citekey,
            "matched_by": self.matched_by,
            **{name: _json_value(getattr(reference, name)) for name in _SAVED_FIELDS},
            "ama": ama_citation(reference),
            "problems": self.problems,
            "warnings": self.warnings,
            "notes": self.parsed.notes,
        }


_SAVED_FIELDS = [
    "kind", "authors", "et_al", "title", "journal", "year", "volume", "issue", "pages",
    "book_title", "editors", "edition", "publisher", "url", "accessed", "pmid", "doi", "pmcid",
    "retracted", "retraction_notice",
]  # fmt: skip


@dataclass
class ImportReport:
    outcomes: list[Outcome]
    saved: bool = False

    @property
    def created(self) -> list[Reference]:
        return [outcome.reference for outcome in self.outcomes if outcome.is_new]

    @property
    def existing(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.is_new]

    @property
    def problems(self) -> list[str]:
        return [problem for outcome in self.outcomes for problem in outcome.problems]

    @property
    def refused(self) -> bool:
        return bool(self.problems)

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


def import_references(
    parsed: list[ParsedReference], *, user=None, comment="", dry_run=False
) -> ImportReport:
    """Plan, validate and save the records, all or nothing, in one revision.

    Nothing is kept when a record has a problem (report.refused, each problem naming its
    record) or for a dry run; otherwise report.saved is true. A preview, the dry run and the
    import all run this same function.
    """
    try:
        with transaction.atomic():
            with reversion.create_revision():
                if user is not None:
                    reversion.set_user(user)
                report = ImportReport(_Planner().plan(parsed))
                for outcome in report.outcomes:
                    if outcome.is_new:
                        outcome.problems += _problems(outcome)
                if report.refused:
                    raise _Refused(report)
                _save(report)
                reversion.set_comment(comment or f"Imported references: {report.summary()}")
            if dry_run:
                transaction.set_rollback(True)
    except _Refused as refused:
        return refused.report
    report.saved = not dry_run
    return report


class _Refused(Exception):
    """Leaves the transaction and the revision with nothing written."""

    def __init__(self, report):
        super().__init__()
        self.report = report


def preview_import(parsed: list[ParsedReference]) -> ImportReport:
    """What import_references() would do, saving nothing."""
    return import_references(parsed, dry_run=True)


def save_imported(parsed: list[ParsedReference], *, user=None, comment="") -> ImportReport:
    """import_references(), raising ImportFormatError with every problem when it refuses."""
    report = import_references(parsed, user=user, comment=comment)
    if report.refused:
        raise ImportFormatError(*report.problems)
    return report


def _save(report: ImportReport):
    try:
        with transaction.atomic():
            _insert(report.created)
    except IntegrityError as error:
        # The planner read the library inside this transaction; only a concurrent import of
        # the same references gets here.
        raise ImportFormatError(
            "Another import added some of these references meanwhile. Nothing was imported; "
            "start again to see which ones are now in the library."
        ) from error


def _insert(references: list[Reference]):
    """Insert in batches (a large file is tens of thousands of rows), each in the revision."""
    if not connection.features.can_return_rows_from_bulk_insert:
        for reference in references:
            reference.save()
        return
    for reference in Reference.objects.bulk_create(references, batch_size=_BATCH):
        reversion.add_to_revision(reference)


def normalized_title(title: str) -> str:
    text = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


class _Index:
    """References found by PMID, DOI, or title and year, in constant time."""

    def __init__(self, references=()):
        self.by_pmid: dict[str, Reference] = {}
        self.by_doi: dict[str, Reference] = {}
        self.by_title: dict[tuple, list[Reference]] = defaultdict(list)
        for reference in references:
            self.add(reference)

    def add(self, reference: Reference):
        if reference.pmid:
            self.by_pmid.setdefault(reference.pmid, reference)
        if reference.doi:
            self.by_doi.setdefault(reference.doi.lower(), reference)
        self.by_title[(reference.year, normalized_title(reference.title))].append(reference)

    def find(self, parsed: ParsedReference):
        """The reference that is the parsed record, and by what it matched."""
        if parsed.pmid and parsed.pmid in self.by_pmid:
            return self.by_pmid[parsed.pmid], "PMID"
        if parsed.doi and parsed.doi.lower() in self.by_doi:
            return self.by_doi[parsed.doi.lower()], "DOI"
        for reference in self.by_title.get((parsed.year, normalized_title(parsed.title)), []):
            if _same_first_author(parsed, reference):
                return reference, "title, year and first author"
        return None


class _Titles:
    """Library titles, found by their rarest words, for near-duplicate warnings."""

    def __init__(self, references):
        self.titles = [(ref.citekey, ref.title, normalized_title(ref.title)) for ref in references]
        self.postings: dict[str, list[int]] = defaultdict(list)
        for number, (_, _, title) in enumerate(self.titles):
            for word in set(_words(title)):
                self.postings[word].append(number)

    def close_to(self, title: str) -> list[tuple[str, str, float]]:
        title = normalized_title(title)
        known = [
            w
            for w in set(_words(title))
            if 0 < len(self.postings.get(w, ())) <= _COMMON_WORD_TITLES
        ]
        rarest = sorted(known, key=lambda word: len(self.postings[word]))[:3]
        candidates = sorted({number for word in rarest for number in self.postings[word]})
        found = []
        for number in candidates:
            citekey, other, normalized = self.titles[number]
            matcher = difflib.SequenceMatcher(None, title, normalized)
            if (
                matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO
                and (ratio := matcher.ratio()) >= NEAR_DUPLICATE_RATIO
            ):
                found.append((citekey, other, ratio))
        return found


def _words(title: str) -> list[str]:
    # Six letters of each word of four or more: “effects” and “effect” are one word here.
    return [word[:6] for word in title.split() if len(word) >= 4]


class _Planner:
    """Decides, record by record, whether a reference is new, known or repeated."""

    def __init__(self):
        library = list(Reference.objects.all())
        self.library = _Index(library)
        self.titles = _Titles(library)
        self.new = _Index()
        self.records: dict[int, ParsedReference] = {}  # the record each new reference came from
        self.taken = {reference.citekey for reference in library}
        self.given: dict[str, int] = defaultdict(int)

    def plan(self, parsed) -> list[Outcome]:
        return [self._outcome(record) for record in parsed]

    def _outcome(self, parsed: ParsedReference) -> Outcome:
        outcome = self._decide(parsed)
        outcome.warnings[:0] = parsed.warnings
        return outcome

    def _decide(self, parsed: ParsedReference) -> Outcome:
        if repeated := self.new.find(parsed):
            reference, how = repeated
            return Outcome(
                parsed,
                reference,
                Status.REPEATED,
                how,
                problems=self._conflict(parsed, reference, how),
            )
        if existing := self.library.find(parsed):
            reference, how = existing
            warnings = _missing_ids(parsed, reference) + _differs(parsed, reference, how)
            return Outcome(parsed, reference, Status.IN_LIBRARY, how, warnings)
        reference = Reference(**parsed.reference_fields())
        reference.citekey = self._citekey(parsed)
        self.new.add(reference)
        self.records[id(reference)] = parsed
        return Outcome(parsed, reference, Status.NEW, warnings=self._near_duplicates(parsed))

    def _citekey(self, parsed) -> str:
        # A page without an author is cited by its title's first word.
        base = citekey_base(parsed.authors or parsed.title.split()[:1], parsed.year)
        key = next_free(base, self.taken, self.given[base])
        self.taken.add(key)
        self.given[base] += 1
        return key

    def _conflict(self, parsed, reference, how) -> list[str]:
        """Two records with one PMID or DOI must be one article: else an identifier is wrong."""
        if how not in ("PMID", "DOI") or _same_article(parsed, reference):
            return []
        first = self.records[id(reference)]
        value = parsed.pmid if how == "PMID" else parsed.doi
        return [
            f"{parsed.describe()}: has the {how} {value} of {first.describe()}, but another "
            f"title (“{_clip(parsed.title)}” and “{_clip(first.title)}”). One of the two "
            f"{how}s is wrong: correct it and import again."
        ]

    def _near_duplicates(self, parsed) -> list[str]:
        return [
            f"its title is close to that of @{citekey} ({ratio:.0%} alike): “{other}”. "
            "Check that it is not the same article."
            for citekey, other, ratio in self.titles.close_to(parsed.title)
        ]


def _same_article(parsed, reference) -> bool:
    ratio = difflib.SequenceMatcher(
        None, normalized_title(parsed.title), normalized_title(reference.title)
    ).ratio()
    return ratio >= NEAR_DUPLICATE_RATIO and (parsed.year or reference.year) == reference.year


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


def _differs(parsed, reference, how) -> list[str]:
    if how not in ("PMID", "DOI") or _same_article(parsed, reference):
        return []
    return [
        f"its {how} is that of @{reference.citekey}, whose title is “{_clip(reference.title)}”: "
        "check which of the two is right."
    ]


def _problems(outcome: Outcome) -> list[str]:
    """Why the new reference would not validate, each message naming its record.

    Uniqueness of the citekey, PMID and DOI is the planner's (it read the whole library in
    this transaction); the database constraints hold it at save."""
    try:
        outcome.reference.full_clean(validate_unique=False, validate_constraints=False)
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


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _clip(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
