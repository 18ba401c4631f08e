"""What an import proves before it writes anything: the file's records agree with each other.

- every sign-off's and publication's digest is computed again from its stored document, with
  the workflow's own digest function, and must equal the digest on record;
- each sign-off's signature line must be its physician's name and credentials, as the file
  records them now or in the physician's history;
- each publication must be the content its sign-off approved (same digest, same page);
- each live pointer must point at a publication of its page, at that publication's address;
- each stored rendering must be exactly what its publication renders to.

The first record that fails is named and the whole file is refused. What consistency cannot
prove: someone who rewrites a page's document, all its digests and every rendering together has
made a file that agrees with itself; only a signature by the site's key can tell that apart.
"""

import json

from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.template.loader import render_to_string
from django.urls import NoReverseMatch

from backups.errors import BackupError
from conditions.pages import DETAIL_TEMPLATE, condition_context
from reviews.digest import document_digest
from reviews.models import Physician
from tovani.site_url import ORIGIN_PLACEHOLDER

PHYSICIAN, SIGN_OFF, PUBLICATION = "reviews.physician", "reviews.signoff", "reviews.publication"
LIVE, RENDERING = "reviews.livepublication", "publishing.pagerendering"
VERSION = "reversion.version"
CHECKED = [PHYSICIAN, SIGN_OFF, PUBLICATION, LIVE, RENDERING]
REFUSED = "The file was refused; nothing was imported."


class Mismatch(Exception):
    """One record disagrees with another; the message says how."""


def verify(objects: list[dict]) -> None:
    """Raise BackupError naming the first record that does not hold; write nothing."""
    records = _records(objects)
    signatures = _recorded_signatures(objects, records[PHYSICIAN])
    sign_offs, publications = records[SIGN_OFF], records[PUBLICATION]
    checks = [
        (sign_offs, lambda sign_off: _check_sign_off(sign_off, signatures)),
        (publications, lambda publication: _check_publication(publication, sign_offs)),
        (records[LIVE], lambda live: _check_live(live, publications)),
        (
            records[RENDERING],
            lambda rendering: _check_rendering(
                rendering, publications, sign_offs, records[PHYSICIAN]
            ),
        ),
    ]
    for found, check in checks:
        for number, record in found.values():
            try:
                check(record)
            except Mismatch as mismatch:
                message = f"Object {number}, {_named(record)}: {mismatch} {REFUSED}"
                raise BackupError(message) from mismatch


def _records(objects) -> dict[str, dict]:
    """The checked models' rows as unsaved instances: {label: {pk: (object number, instance)}}."""
    records = {label: {} for label in CHECKED}
    for number, obj in enumerate(objects, start=1):
        if obj["model"] in records:
            instance = _instance(number, obj)
            records[obj["model"]][instance.pk] = (number, instance)
    return records


def _instance(number, obj):
    try:
        (restored,) = serializers.deserialize("python", [obj], handle_forward_references=True)
    except (DeserializationError, FieldDoesNotExist, ObjectDoesNotExist, ValidationError) as error:
        detail = " ".join(str(error).split())
        raise BackupError(f"Object {number} cannot be imported: {detail} {REFUSED}") from error
    except (TypeError, ValueError, AttributeError) as error:
        raise BackupError(f"Object {number} cannot be imported: {error}. {REFUSED}") from error
    if restored.object.pk is None:
        raise BackupError(f"Object {number} has no id. {REFUSED}")
    return restored.object


def _recorded_signatures(objects, physicians) -> dict[int, set[str]]:
    """Every signature line each physician has had: now, and in their saved versions."""
    signatures = {pk: {physician.signature} for pk, (_, physician) in physicians.items()}
    for obj in objects:
        fields = obj["fields"]
        if obj["model"] != VERSION or fields.get("content_type") != PHYSICIAN.split("."):
            continue
        earlier = _versioned_physician(fields.get("serialized_data"))
        if earlier is not None and earlier.pk in signatures:
            signatures[earlier.pk].add(earlier.signature)
    return signatures


def _versioned_physician(serialized) -> Physician | None:
    try:
        (saved,) = json.loads(serialized)
        fields = saved["fields"]
        return Physician(
            pk=int(saved["pk"]),
            display_name=str(fields["display_name"]),
            credentials=str(fields["credentials"]),
        )
    except (TypeError, ValueError, KeyError):
        return None  # a version that says nothing about a name vouches for no signature


def _check_sign_off(sign_off, signatures) -> None:
    _check_digest(sign_off)
    recorded = signatures.get(sign_off.physician_id)
    if recorded is None:
        raise Mismatch(f"its physician (id {sign_off.physician_id}) is not in the file.")
    if sign_off.signature not in recorded:
        raise Mismatch(
            f"it is signed “{sign_off.signature}”, which is not its physician's name "
            f"({' or '.join(sorted(f'“{name}”' for name in recorded))})."
        )


def _check_publication(publication, sign_offs) -> None:
    _check_digest(publication)
    _, sign_off = sign_offs.get(publication.sign_off_id, (None, None))
    if sign_off is None:
        raise Mismatch(f"its sign-off (id {publication.sign_off_id}) is not in the file.")
    if _page(sign_off) != _page(publication):
        raise Mismatch(f"its sign-off {sign_off.pk} is of another page.")
    if sign_off.digest != publication.digest:
        raise Mismatch(f"its content is not what sign-off {sign_off.pk} approved.")


def _check_live(live, publications) -> None:
    _, publication = publications.get(live.publication_id, (None, None))
    if publication is None:
        raise Mismatch(f"its publication (id {live.publication_id}) is not in the file.")
    if _page(publication) != _page(live) or publication.slug != live.slug:
        raise Mismatch(f"it shows publication {publication.pk} of another page or address.")


def _check_rendering(rendering, publications, sign_offs, physicians) -> None:
    _, publication = publications.get(rendering.publication_id, (None, None))
    if publication is None:
        raise Mismatch(f"its publication (id {rendering.publication_id}) is not in the file.")
    # The page is rendered from the file alone, before anything is written: its stamp (the
    # sign-off and its physician, checked above) and when the page was first published.
    sign_off = sign_offs[publication.sign_off_id][1]
    _, sign_off.physician = physicians.get(sign_off.physician_id, (None, None))
    if sign_off.physician is None:
        raise Mismatch(f"its physician (id {sign_off.physician_id}) is not in the file.")
    publication.sign_off = sign_off
    publication.first_published = min(
        other.published_at
        for _, other in publications.values()
        if _page(other) == _page(publication)
    )
    if rendering.html != _render(rendering.template, publication):
        raise Mismatch(
            f"it is not what publication {publication.pk} renders to. If the templates changed "
            "since the export without a new PAGE_CACHE_VERSION, import with the release that "
            "made the export."
        )


def _check_digest(record) -> None:
    try:
        digest = document_digest(record.document)
    except (TypeError, ValueError, KeyError, AttributeError) as error:
        raise Mismatch(f"its document cannot be read as a page ({error}).") from error
    if digest != record.digest:
        raise Mismatch("its digest does not match its document: one of them was edited.")


def _render(template, publication) -> str:
    if template != DETAIL_TEMPLATE:
        raise Mismatch(f"it is a rendering of {template!r}, which this release does not render.")
    try:
        return render_to_string(template, condition_context(publication, ORIGIN_PLACEHOLDER))
    except (TypeError, ValueError, KeyError, AttributeError, NoReverseMatch) as error:
        raise Mismatch(f"its publication cannot be rendered ({error!r}).") from error


def _page(record) -> tuple[int, int]:
    return record.content_type_id, record.object_id


def _named(record) -> str:
    """“sign-off 3 (Dr. Ben Soffer, DO, 2026-06-02)”: enough for a person to find it."""
    label = f"{record._meta.verbose_name} {record.pk}"
    if hasattr(record, "signed_at"):
        return f"{label} ({record.signature}, {_day(record.signed_at)})"
    if hasattr(record, "published_at"):
        return f"{label} (“{record.title}” at {record.slug}, {_day(record.published_at)})"
    if hasattr(record, "slug"):
        return f"{label} ({record.slug})"
    return label


def _day(moment) -> str:
    return f"{moment:%Y-%m-%d}" if moment is not None else "no date"
