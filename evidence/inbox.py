"""Each page's evidence inbox: what its saved search found, and the physician's decisions.

A saved search runs with the watch for the records entered in PubMed (esearch's entry date)
from the day after its last run through today; new records land in the inbox. A physician
marks each not relevant, noted or practice-changing; practice-changing opens a review of the
page and can import the record as a reference in the same step.
"""

from datetime import timedelta

from django.db import transaction

from evidence import effects, pubmed, status
from evidence.errors import EvidenceError
from evidence.models import InboxRecord, PageFlag, SavedSearch, SearchRun
from references.errors import ImportFormatError, PubMedUnavailable
from references.importers.pubmed import fetch_pubmed
from references.importers.saving import save_imported
from reviews import clock

Decision = InboxRecord.Decision


def run_searches(today=None) -> list[SearchRun]:
    today = today or clock.now().date()
    runs = []
    for search in SavedSearch.objects.select_related("condition"):
        found = run_search(search, today)
        if found is not None:
            runs.append(found)
    return runs


def run_search(search: SavedSearch, today) -> SearchRun | None:
    """Run the search over the entry dates it has not covered; None when none are left."""
    last = search.runs.order_by("-through").first()
    since = last.through + timedelta(days=1) if last else search.starts_from
    if since > today:
        return None
    pmids = pubmed.esearch(search.query, since, today)
    known = set(search.records.values_list("pmid", flat=True))
    new = [pmid for pmid in pmids if pmid not in known]
    records = pubmed.efetch(new).records if new else {}
    with transaction.atomic():
        run = SearchRun.objects.create(
            search=search, since=since, through=today, ran_at=clock.now()
        )
        for pmid in new:
            record = records.get(pmid)
            if record is None:
                continue
            InboxRecord.objects.create(
                search=search,
                run=run,
                pmid=pmid,
                title=record.title,
                journal=record.journal,
                published=record.published,
                publication_types=record.publication_types,
            )
            run.found += 1
        run.save()
    return run


def decide(record: InboxRecord, user, decision: str, *, import_reference=False) -> InboxRecord:
    """A physician's decision on one record; practice-changing opens a review of the page."""
    refuse_unless_physician(user)
    if decision not in (Decision.NOT_RELEVANT, Decision.NOTED, Decision.PRACTICE_CHANGING):
        raise EvidenceError("Mark the record not relevant, noted or practice-changing.")
    if import_reference and decision != Decision.PRACTICE_CHANGING:
        raise EvidenceError("Only a practice-changing record is imported as a reference.")
    with transaction.atomic():
        record = InboxRecord.objects.select_for_update().get(pk=record.pk)
        record.decision, record.decided_by, record.decided_at = decision, user, clock.now()
        if decision == Decision.PRACTICE_CHANGING:
            _open_review(record, user)
            if import_reference:
                record.reference = import_as_reference(record.pmid, user)
        record.save()
        status.refresh(record.search.condition)
    return record


def import_as_reference(pmid: str, user):
    """The library's reference for the PMID: imported from PubMed unless already there."""
    try:
        found = fetch_pubmed([pmid]).found
        if not found:
            raise EvidenceError(f"PubMed has no record of PMID {pmid}; nothing was imported.")
        report = save_imported(found, user=user, comment=f"Imported PMID {pmid} from the inbox")
    except (PubMedUnavailable, ImportFormatError) as error:
        raise EvidenceError(str(error)) from error
    return report.outcomes[0].reference


def _open_review(record: InboxRecord, user) -> PageFlag:
    page = record.search.condition
    flag = PageFlag.objects.create(
        content_type=_content_type(page),
        object_id=page.pk,
        reason=PageFlag.Reason.PRACTICE_CHANGING,
        detail=f"PMID {record.pmid}: {record.title}",
        inbox_record=record,
        raised_at=clock.now(),
    )
    effects.record_event(flag.content_type, page.pk, user, f"Practice-changing: {flag.detail}")
    return flag


def _content_type(page):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(page)


def may_screen(user) -> bool:
    """Whether the user screens inboxes and dismisses findings: an active physician."""
    physician = getattr(user, "physician", None)
    return user.has_perm("reviews.sign_off_page") and physician is not None and physician.is_active


def may_import(user) -> bool:
    return user.has_perm("references.add_reference")


def refuse_unless_physician(user) -> None:
    if not may_screen(user):
        raise EvidenceError("Only an active physician screens the evidence inbox.")


def import_replacement(finding, user):
    """The newer version a finding names, imported as a reference by someone who may add one."""
    if not may_import(user):
        raise EvidenceError("Only someone who may add references imports a newer version.")
    return import_as_reference(finding.notice_pmid, user)
