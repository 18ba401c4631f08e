"""Recording a finding once, and exactly the effects of its kind.

| kind | effects |
| --- | --- |
| retraction | the reference is marked retracted (so no page can cite it in a new version, and the
  `reference.retracted` webhook fires); each live page citing it gets an open review (a flag,
  on the audit chain) and, by EVIDENCE_PUBLIC_NOTICE, a notice to readers; the physician who
  signed each page and its last editor are e-mailed |
| expression of concern | each live page citing it gets an open review (flag, audit event) |
| erratum, corrected and republished | a task for the editors of each live page citing it |
| updated | the finding alone: the inbox offers the newer version as a replacement |
"""

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from evidence import status
from evidence.classify import Spec
from evidence.models import EditorTask, Finding, FindingKind, PageFlag
from evidence.pages import live_publications_citing
from reviews import audit_chain, clock
from reviews.models import ReviewEvent
from reviews.workflow import last_editor
from tovani.site_url import absolute_url
from tovani.tasks import enqueue_on_commit, send_email

SEVERITY = {
    FindingKind.RETRACTION: Finding.Severity.HIGH,
    FindingKind.EXPRESSION_OF_CONCERN: Finding.Severity.MEDIUM,
    FindingKind.ERRATUM: Finding.Severity.LOW,
    FindingKind.CORRECTED_REPUBLISHED: Finding.Severity.LOW,
    FindingKind.UPDATED: Finding.Severity.INFO,
}
FLAG_REASONS = {
    FindingKind.RETRACTION: PageFlag.Reason.RETRACTION,
    FindingKind.EXPRESSION_OF_CONCERN: PageFlag.Reason.EXPRESSION_OF_CONCERN,
}
RETRACTION_PREFIX = "Found retracted by the evidence watch"


def record(reference, spec: Spec, run=None) -> Finding | None:
    """The new finding with its effects applied, or None when it was recorded before."""
    if Finding.objects.filter(reference=reference, kind=spec.kind, notice=spec.notice).exists():
        return None
    try:
        with transaction.atomic():
            finding = Finding.objects.create(
                reference=reference,
                kind=spec.kind,
                severity=SEVERITY[spec.kind],
                source=spec.source,
                notice=spec.notice,
                notice_pmid=spec.notice_pmid,
                notice_doi=spec.notice_doi,
                notice_date=spec.notice_date,
                description=spec.description,
                found_at=clock.now(),
                run=run,
            )
            apply(finding)
    except IntegrityError:
        return None  # another worker recorded it meanwhile
    return finding


def apply(finding: Finding) -> None:
    if finding.kind == FindingKind.RETRACTION:
        _mark_retracted(finding)
    publications = live_publications_citing(finding.reference.citekey)
    if finding.kind in FLAG_REASONS:
        for publication in publications:
            _flag(publication, finding)
    if finding.kind == FindingKind.RETRACTION:
        for publication in publications:
            _tell(publication, finding)
    if finding.kind in (FindingKind.ERRATUM, FindingKind.CORRECTED_REPUBLISHED):
        for publication in publications:
            EditorTask.objects.create(
                content_type=publication.content_type,
                object_id=publication.object_id,
                finding=finding,
                created_at=finding.found_at,
            )


def _mark_retracted(finding: Finding) -> None:
    reference = finding.reference
    if reference.retracted:
        return
    reference.retracted = True
    reference.retraction_notice = f"{RETRACTION_PREFIX} ({finding.source}): {finding.description}"
    with reversion.create_revision():
        reversion.set_comment(f"Marked retracted: {finding.description}")
        reference.save()


def _flag(publication, finding: Finding) -> PageFlag:
    flag = PageFlag.objects.create(
        content_type=publication.content_type,
        object_id=publication.object_id,
        reason=FLAG_REASONS[finding.kind],
        detail=f"@{finding.reference.citekey}: {finding.description}",
        finding=finding,
        raised_at=finding.found_at,
    )
    record_event(publication.content_type, publication.object_id, None, flag.detail)
    status.refresh(publication.content_object)
    return flag


def record_event(content_type: ContentType, object_id, user, note, *, dismissed=False):
    kind = ReviewEvent.Kind.FINDING_DISMISSED if dismissed else ReviewEvent.Kind.EVIDENCE_FLAGGED
    return audit_chain.append(
        content_type=content_type,
        object_id=object_id,
        kind=kind,
        actor=user,
        note=note,
        at=clock.now(),
    )


def _tell(publication, finding: Finding) -> None:
    page = publication.content_object
    people = {publication.sign_off.physician.user, last_editor(page)}
    recipients = sorted({person.email for person in people if person and person.email})
    if not recipients:
        return
    reference = finding.reference
    body = [
        f"“{publication.title}” cites @{reference.citekey} ({reference.first_author} "
        f"{reference.year}, {reference.title}), which has been retracted.",
        f"Source: {finding.source}. {finding.description}",
        "The page is flagged for an unscheduled review: it reads as under review until a "
        "physician signs it off again, or dismisses the finding.",
        f"The page: {absolute_url(page.get_absolute_url())}",
    ]
    enqueue_on_commit(
        send_email, f"Retracted study cited by {publication.title}", "\n\n".join(body), recipients
    )
