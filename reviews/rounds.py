"""Review rounds: what a review compares with, and what carries over to the next submission.

When a physician asked for changes, the next review of the page compares, by default, with the
version they returned, so the one key point an editor changed reads as the only change; the
reviewer can switch to the changes since the last sign-off (everything, for a page never signed)
or to any recorded version. The comments of the round, with the editors' replies and whether
each is resolved, sit with the sections they concern. The note and public change summary an
editor gave with a submission are offered again with the next one, until a physician signs.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import formats, timezone
from reversion.models import Version

from reviews import comments
from reviews.models import ReviewEvent

RETURNED, SIGNED, VERSION = "returned", "signed", "version"


@dataclass(frozen=True)
class Baseline:
    """The version a review compares the current content with."""

    choice: str  # RETURNED, SIGNED or VERSION
    document: dict | None  # None: nothing to compare with, everything is new
    description: str
    switches: list = field(default_factory=list)  # (choice, label) the reviewer may switch to
    since: object = None  # when the compared version was current (None: from the start)


def baseline(obj, latest_sign_off, choice: str = "", version_id=None) -> Baseline:
    """What the review compares with: the version the physician returned after a request for
    changes (by default), the last signed version (SIGNED), or a recorded version (VERSION)."""
    request = returned_request(obj, latest_sign_off)
    returned = version_at(obj, request.at) if request else None
    since_signed = (SIGNED, _since_signed_label(latest_sign_off))
    since_returned = (RETURNED, f"Changes since {_actor(request)} asked for changes")
    if choice == VERSION and (picked := _version(obj, version_id)) is not None:
        switches = [since_returned] if returned else []
        return Baseline(
            VERSION,
            document_at(picked),
            f"Compared with the version saved on {_moment(picked.revision.date_created)}"
            f" by {_user(picked.revision.user)}",
            [*switches, since_signed],
            picked.revision.date_created,
        )
    if choice != SIGNED and returned is not None:
        return Baseline(
            RETURNED,
            document_at(returned),
            f"Changes since {_actor(request)} asked for changes on {_moment(request.at)}: "
            "compared with the version returned to the editors",
            [since_signed],
            request.at,
        )
    switches = [since_returned] if returned else []
    if latest_sign_off is None:
        return Baseline(
            SIGNED,
            None,
            "No physician has signed off this page before: everything below is new",
            switches,
        )
    return Baseline(
        SIGNED,
        latest_sign_off.document,
        f"Compared with the version {latest_sign_off.signature} signed off on "
        f"{formats.date_format(timezone.localtime(latest_sign_off.signed_at), 'F j, Y')}",
        switches,
        latest_sign_off.signed_at,
    )


def shared_changes(obj, since) -> list:
    """Changes to parts the page shares with others (a treatment) since a moment."""
    return list(obj.shared_changes(since))


def returned_request(obj, latest_sign_off) -> ReviewEvent | None:
    """The newest request for changes since the last sign-off, if any."""
    events = ReviewEvent.objects.for_object(obj).filter(kind=ReviewEvent.Kind.CHANGES_REQUESTED)
    if latest_sign_off is not None:
        events = events.filter(at__gt=latest_sign_off.signed_at)
    return events.select_related("actor__physician").order_by("-at", "-pk").first()


def version_at(obj, moment) -> Version | None:
    """The object's newest recorded version at a moment."""
    return (
        Version.objects.get_for_object(obj)
        .filter(revision__date_created__lte=moment)
        .select_related("revision")
        .order_by("-revision__date_created", "-pk")
        .first()
    )


def recorded_versions(obj):
    """Every recorded version of the object, newest first, to pick one to compare with."""
    return (
        Version.objects.get_for_object(obj)
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def document_at(version: Version) -> dict:
    """The document the object had at a version: reverted inside a transaction rolled back."""

    class _Rollback(Exception):
        pass

    document = None
    try:
        with transaction.atomic(using=version.db):
            version.revision.revert(delete=True)
            document = version.object.build_document()
            raise _Rollback
    except _Rollback:
        pass
    return document


def attach_threads(obj, sections) -> list:
    """Give each section of a diff the comment threads on its parts (replies, resolution), and
    each item the parts it shows, so a reviewer comments on a part where its text is. A part
    the kind gives no place goes at its section's end; the parts of a section the diff does not
    show are returned."""
    parts = comments.parts_of(obj)
    section_of = {part.anchor: part.section for part in parts}
    by_section = {}
    for group in comments.grouped(obj, parts):
        by_section.setdefault(section_of.get(group.anchor, ""), []).append(group)
    shown = {section.label: section for section in sections}
    for section in sections:
        section.threads = by_section.get(section.label, [])
        section.parts = []
    elsewhere = []
    for part in parts:
        section = shown.get(part.section)
        if section is None:
            elsewhere.append(part)
            continue
        item = next((i for i in section.items if i.position == part.place), None)
        if part.place is None or item is None:
            section.parts.append(part)
        else:
            item.parts.append(part)
    return elsewhere


def carried_over(obj, known=None) -> dict:
    """The note, change summary and significance of the page's newest submission that no
    sign-off has closed: what the next submission offers again. known: the page's
    Situation, when read already (its newest round event answers unless it is a request for
    changes)."""
    newest = _newest_submission_or_sign_off(obj, known)
    if newest is None or newest.kind != ReviewEvent.Kind.SUBMITTED:
        return {}
    return {
        "note": newest.note,
        "change_summary": newest.change_summary,
        "clinically_significant": newest.clinically_significant,
    }


def _newest_submission_or_sign_off(obj, known):
    if known is not None and known.round_kind != ReviewEvent.Kind.CHANGES_REQUESTED:
        # The newest round event is a submission, a sign-off, or there is none.
        return known.submission
    events = ReviewEvent.objects.for_object(obj).filter(
        kind__in=[ReviewEvent.Kind.SUBMITTED, ReviewEvent.Kind.SIGNED_OFF]
    )
    return events.order_by("-at", "-pk").first()


def _version(obj, version_id):
    try:
        return recorded_versions(obj).filter(pk=int(version_id)).first()
    except (TypeError, ValueError):
        return None


def _since_signed_label(latest_sign_off) -> str:
    return "Changes since the last sign-off" if latest_sign_off else "Everything (never signed)"


def _actor(event) -> str:
    if event is None:
        return "the physician"
    physician = getattr(event.actor, "physician", None)
    return physician.signature if physician else _user(event.actor)


def _user(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "someone"


def _moment(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "F j, Y, H:i")
