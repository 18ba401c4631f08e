"""A physician's dismissal of a finding that does not hold for the page (a retract-and-replace
under the same DOI, a notice about another work): signed with their password, on the audit
chain of every page it had flagged, and it undoes what the finding did."""

import reversion
from django.db import transaction

from evidence import effects, status
from evidence.errors import EvidenceError
from evidence.inbox import refuse_unless_physician
from evidence.models import Finding, FindingKind
from reviews import clock
from reviews.errors import WorkflowError
from reviews.reauthentication import confirm_password


def may_consider(user) -> bool:
    """Who may open a finding's dismissal: those who sign off pages (dismiss() then refuses all
    but an active physician, saying why)."""
    return user.has_perm("reviews.sign_off_page")


def dismiss(finding: Finding, user, password, reason, *, request=None) -> Finding:
    refuse_unless_physician(user)
    reason = (reason or "").strip()
    if not reason:
        raise EvidenceError("Say why the finding does not hold: a reason is required.")
    try:
        confirm_password(user, password, request)
    except WorkflowError as error:
        raise EvidenceError(str(error).replace("sign-off", "dismissal")) from error
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        if finding.dismissed:
            raise EvidenceError("This finding was already dismissed.")
        finding.dismissed_at, finding.dismissed_by = clock.now(), user
        finding.dismissal_reason = reason
        finding.save()
        if finding.kind == FindingKind.RETRACTION:
            _restore(finding.reference, user, reason)
        finding.tasks.filter(done_at__isnull=True).update(
            done_at=finding.dismissed_at, done_by=user
        )
        note = f"{finding}: dismissed. {reason}"
        for flag in finding.flags.all():
            effects.record_event(flag.content_type, flag.object_id, user, note, dismissed=True)
            status.refresh(flag.content_object)
    return finding


def _restore(reference, user, reason) -> None:
    """Undo a retraction the watch marked (one an editor marked stays theirs)."""
    if not reference.retraction_notice.startswith(effects.RETRACTION_PREFIX):
        return
    reference.retracted, reference.retraction_notice = False, ""
    with reversion.create_revision():
        reversion.set_user(user)
        reversion.set_comment(f"Retraction finding dismissed: {reason}")
        reference.save()
