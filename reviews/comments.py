"""Review comments anchored to the parts of a page.

A publishable object lists its parts with ``review_parts() -> list[Part]``: each part has a
stable anchor, "<app>.<model>:<pk>:<field>", so a comment stays on its key point or FAQ when
others are added, moved or edited. A comment keeps the part's label and text as they were when
it was made. Comments are kept apart from the content: they never change a page or its digest.

Physicians comment; editors and physicians reply; an editor (or the comment's author) resolves.
"""

import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from reviews import clock
from reviews.errors import WorkflowError
from reviews.models import Physician, ReviewComment
from tovani.read_once import once


@dataclass(frozen=True)
class Part:
    anchor: str
    section: str  # the review_outline() section the part is shown in
    label: str
    text: str
    # Which item of that section shows the part (0 for the first), where the kind knows; the
    # review screen puts the part's "Comment" control beside that item, or else at the
    # section's end.
    place: int | None = None

    @property
    def dom_id(self) -> str:
        """The anchor as an HTML id: where the review screen's control for the part is."""
        return "part-" + re.sub(r"[^a-z0-9]+", "-", self.anchor.lower()).strip("-")


def anchor(instance, field: str) -> str:
    return f"{instance._meta.label_lower}:{instance.pk}:{field}"


def split_anchor(anchor_id: str) -> tuple[str, str, str] | None:
    """(model label, pk, field) of an anchor; a field may name a piece of itself after "#"
    (an editorial statement's section), which is dropped here: the field is where it is edited."""
    pieces = anchor_id.split(":", 2)
    if len(pieces) != 3:
        return None
    label, pk, name = pieces
    return label, pk, name.split("#", 1)[0]


def parts_of(obj) -> list[Part]:
    """The parts of a page a reviewer can comment on (Publishable.review_parts)."""
    return list(obj.review_parts())


def may_comment(user) -> bool:
    if not user.has_perm("reviews.sign_off_page"):
        return False
    # The same read as the steps' checks make (once a screen: tovani.read_once).
    physician = once(("physician_of", user.pk), Physician.objects.filter(user=user).first)
    return physician is not None and physician.is_active


def may_reply(obj, user) -> bool:
    opts = obj._meta
    return may_comment(user) or user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def add_comment(obj, user, anchor_id: str, body: str) -> ReviewComment:
    """A physician's comment on one part of the page."""
    if not may_comment(user):
        raise WorkflowError("Only an active physician can comment on a page under review.")
    part = next((part for part in parts_of(obj) if part.anchor == anchor_id), None)
    if part is None:
        raise WorkflowError("Choose the part of the page the comment is about.")
    return ReviewComment.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        anchor=part.anchor,
        anchor_label=part.label,
        quote=part.text,
        author=user,
        body=_required(body, "Write the comment."),
        created_at=clock.now(),
    )


def reply(obj, user, comment_id, body: str) -> ReviewComment:
    if not may_reply(obj, user):
        raise WorkflowError("Only the page's editors and the physicians can reply to comments.")
    thread = _thread(obj, comment_id)
    return ReviewComment.objects.create(
        content_type=thread.content_type,
        object_id=thread.object_id,
        parent=thread,
        anchor=thread.anchor,
        anchor_label=thread.anchor_label,
        author=user,
        body=_required(body, "Write the reply."),
        created_at=clock.now(),
    )


def resolve(obj, user, comment_id) -> ReviewComment:
    opts = obj._meta
    with transaction.atomic():
        thread = _thread(obj, comment_id, lock=True)
        editor = user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        if not (editor or thread.author == user):
            raise WorkflowError("Only the page's editors or the comment's author can resolve it.")
        if thread.resolved_at is None:
            thread.resolved_at = clock.now()
            thread.resolved_by = user
            thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


@dataclass
class PartComments:
    anchor: str
    label: str
    quote: str
    current: str | None  # the part's text now; None when the part is gone
    threads: list
    # Where an editing form shows the part: the id of its field and the form's section for it
    # (conditions.admin_comments); empty where no form places it.
    beside: str = ""
    section: str = ""

    @property
    def open_threads(self) -> list:
        return [thread for thread in self.threads if not thread.is_resolved]


def grouped(obj, parts=None) -> list[PartComments]:
    """The page's comment threads with their replies, grouped by part in page order: two
    queries, however many comments."""
    comments = list(
        ReviewComment.objects.for_object(obj).select_related("author__physician", "resolved_by")
    )
    replies = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    order = {part.anchor: (i, part) for i, part in enumerate(parts or parts_of(obj))}
    groups = {}
    for comment in comments:
        if comment.parent_id:
            continue
        comment.thread_replies = replies.get(comment.pk, [])
        position, part = order.get(comment.anchor, (len(order), None))
        group = groups.setdefault(
            comment.anchor,
            (
                position,
                PartComments(
                    comment.anchor,
                    comment.anchor_label,
                    comment.quote,
                    part.text if part else None,
                    [],
                ),
            ),
        )
        group[1].threads.append(comment)
    return [group for _, group in sorted(groups.values(), key=lambda entry: entry[0])]


def _thread(obj, comment_id, *, lock=False) -> ReviewComment:
    comments = ReviewComment.objects.for_object(obj).threads()
    if lock:
        comments = comments.select_for_update()
    thread = comments.filter(pk=comment_id).first()
    if thread is None:
        raise WorkflowError("That comment is not on this page.")
    return thread


def _required(text, message) -> str:
    text = (text or "").strip()
    if not text:
        raise WorkflowError(message)
    return text
