"""One pass of the evidence watch over every reference a live or in-review page cites.

PubMed is asked in efetch batches of 200 PMIDs, Crossref once per DOI, each within its rate
limit (evidence.http). What each batch or DOI found is committed with a mark on the reference
(ReferenceCheck), so a run that stops (a source keeps failing, the worker dies) is resumed by
the next one: it asks only about the references not yet checked in that run.
"""

import logging

from django.db import transaction

from evidence import classify, crossref, effects, inbox, pubmed
from evidence.errors import SourceUnavailable
from evidence.models import ReferenceCheck, WatchRun
from evidence.pages import cited_citekeys
from references.models import Reference
from reviews import clock
from reviews.models import Publication, ReviewState

logger = logging.getLogger(__name__)


def watched_references():
    """Every reference cited by a live page (as published) or a page in review (as submitted)."""
    keys = set()
    for document in Publication.objects.live().values_list("document", flat=True):
        keys |= cited_citekeys(document)
    for row in ReviewState.objects.awaiting_review():
        page = row.content_object
        if page is not None:
            keys |= cited_citekeys(page.build_document())
    return Reference.objects.with_citekeys(keys).order_by("pk")


def run() -> WatchRun:
    """Check every watched reference, then every saved search; resumes a stopped run."""
    watch = _resumable() or WatchRun.objects.create(started_at=clock.now())
    _set(watch, status=WatchRun.Status.RUNNING, problem="")
    references = list(watched_references())
    _set(watch, references=len(references))
    try:
        _check_pubmed(watch, references)
        _check_crossref(watch, references)
        inbox.run_searches()
    except SourceUnavailable as error:
        logger.warning("Evidence watch stopped: %s", error)
        _set(watch, status=WatchRun.Status.STOPPED, problem=str(error))
        return watch
    _set(watch, status=WatchRun.Status.DONE, finished_at=clock.now())
    return watch


def _resumable() -> WatchRun | None:
    """The newest run that did not finish: stopped, or left running by a worker that died."""
    return WatchRun.objects.exclude(status=WatchRun.Status.DONE).first()


def _check_pubmed(watch: WatchRun, references: list[Reference]) -> None:
    checked = _checked(watch, "pubmed_run")
    by_pmid = {ref.pmid: ref for ref in references if ref.pmid and ref.pk not in checked}

    def keep(batch, records):
        with transaction.atomic():
            for pmid in batch:
                record = records.get(pmid)
                if record is not None:
                    for spec in classify.from_pubmed(record):
                        _count(watch, effects.record(by_pmid[pmid], spec, watch))
            _mark([by_pmid[pmid] for pmid in batch], "pubmed_run", watch)
            _set(watch, efetch_calls=watch.efetch_calls + 1)

    pubmed.efetch(list(by_pmid), on_batch=keep)


def _check_crossref(watch: WatchRun, references: list[Reference]) -> None:
    checked = _checked(watch, "crossref_run")
    for reference in references:
        if not reference.doi or reference.pk in checked:
            continue
        updates = crossref.updates(reference.doi)
        with transaction.atomic():
            for spec in classify.from_crossref(updates or []):
                _count(watch, effects.record(reference, spec, watch))
            _mark([reference], "crossref_run", watch)
            _set(watch, crossref_calls=watch.crossref_calls + 1)


def _checked(watch, field) -> set[int]:
    return set(
        ReferenceCheck.objects.filter(**{field: watch}).values_list("reference_id", flat=True)
    )


def _mark(references, field, watch) -> None:
    """Record that watch asked its source about the references: one statement a batch."""
    now = clock.now()
    ReferenceCheck.objects.bulk_create(
        [ReferenceCheck(reference=ref, checked_at=now, **{field: watch}) for ref in references],
        update_conflicts=True,
        unique_fields=["reference"],
        update_fields=[field, "checked_at"],
    )


def _count(watch, finding) -> None:
    if finding is not None:
        watch.findings += 1


def _set(watch: WatchRun, **fields) -> None:
    for name, value in fields.items():
        setattr(watch, name, value)
    watch.save()
