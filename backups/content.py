"""Backups: the whole library as one JSON file, and an empty database restored from it.

The file holds, with their primary keys, every row that cannot be derived: user accounts (with
password hashes and groups), references, treatments, condition pages and all their parts,
physicians, sign-offs, publications, live pointers, review events, the stored page renderings,
translations with their segments, the evidence watch's searches, inboxes, findings and flags,
notices to readers, partners (their keys are stored hashed, so restored keys keep working),
webhook endpoints and the event log partners sync from, the django-reversion history (the
workflow reads it to tell who changed a page last) and the admin's action log. Every registered
kind of page is exported by registering; every other model is named in NOT_KEPT with why.
Content types, permissions and groups are written by natural key, so they map onto the ids of
the database being restored. Keeping every other id keeps publication ids, and with them ETags
and cache keys, the same.

The search index and listings (SearchEntry, TreatmentListing, CodeListing, and the
translations' TranslatedEntry and LiveAlternate) are derived from the live publications: the
import rebuilds them, as ``rebuild_library`` does, rather than trusting a copy. Renderings are
kept, because they are the pages exactly as the public read them, once each is proven to be
what its publication renders to (renderings of another PAGE_CACHE_VERSION are left out).
Before anything is written, backups.verification proves the file's records agree: digests,
sign-offs, publications, live pointers and renderings.

Not kept: sessions, login throttling records (django-axes), and API usage still pending in the
cache (the export first adds it to the partners' totals). Webhook signing secrets are left out
unless asked for (include_secrets): an endpoint restored without one is disabled until it has a
new secret.

Nothing in the file vouches for itself (backups.trust): the site signs a manifest of every row,
the import accepts it only under a key trusted outside the file, and refuses a file with rows
missing, added or changed. Restored accounts get no working password and no superuser status
unless the operator asks for them.
"""

import json
from collections import Counter
from datetime import datetime, time

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from backups import accounts, trust
from backups.errors import BackupError
from backups.verification import RENDERING, verify
from conditions.pages import DETAIL_TEMPLATE
from reviews.verification import library_problems

FORMAT = "tovani-content"
VERSION = 2  # 2: signed by the site (backups.trust)

# Every exported model, each after the models it refers to. A registered kind of page not
# named here is exported too, before the physicians (exported()).
GROUPS = "auth.group"
EXPORTED = [
    GROUPS,
    "auth.user",
    "references.reference",
    "conditions.treatment",
    "conditions.condition",
    "conditions.clinicalcode",
    "conditions.searchphrase",
    "conditions.keypoint",
    "conditions.comparison",
    "conditions.conditiontreatment",
    "conditions.faq",
    "conditions.sharedpartchange",
    "editorial.editorialpage",
    "reviews.physician",
    "reviews.staffprofile",
    "reviews.formerprofileaddress",
    "reviews.signingkey",
    "reviews.signoff",
    "reviews.publication",
    "translations.translation",
    "translations.segment",
    "translations.englishunits",
    "reviews.livepublication",
    "reviews.reviewevent",
    "reviews.reviewstate",
    "feedback.report",
    "reviews.scheduledpublication",
    "reviews.scheduledtakedown",
    "reviews.reviewcomment",
    "publishing.pagerendering",
    "publishing.pagenotice",
    "evidence.watchrun",
    "evidence.referencecheck",
    "evidence.finding",
    "evidence.savedsearch",
    "evidence.searchrun",
    "evidence.inboxrecord",
    "evidence.pageflag",
    "evidence.editortask",
    "evidence.pageevidence",
    "partners.partner",
    "webhooks.endpoint",
    "webhooks.event",
    "reversion.revision",
    "reversion.version",
    "admin.logentry",
]
# Every other model, and why a restore does without it (tests/test_backup.py holds every model
# to one list or the other, so a new model is a decision, not an omission).
NOT_KEPT = {
    "contenttypes.contenttype": "written by migrations; the file names content types by key",
    "auth.permission": "written by migrations; the file names permissions by natural key",
    "sessions.session": "sign-ins end with a restore",
    "axes.accessattempt": "login throttling records",
    "axes.accessattemptexpiration": "login throttling records",
    "axes.accessfailurelog": "login throttling records",
    "axes.accesslog": "login throttling records",
    "tasks.workerbeat": "workers' signs of life",
    "django_tasks_database.dbtaskresult": "queued tasks: the workers' sweeps queue again the "
    "work they find waiting (scheduled publications, pending deliveries)",
    "references.referenceimport": "a large upload waiting for its check: uploaded again",
    "reviews.eventchainlock": "the audit chain's lock row, written by migrations",
    "conditions.searchentry": "derived from the live publications: the import rebuilds it",
    "conditions.treatmentlisting": "derived from the live publications: the import rebuilds it",
    "conditions.codelisting": "derived from the live publications: the import rebuilds it",
    "translations.translatedentry": "derived from the live translations: the import rebuilds it",
    "publishing.livealternate": "derived from the live translations: the import rebuilds it",
    "purges.surrogatekeyset": "derived from each publication when its answer is first served",
    "purges.purge": "edge-cache purges already sent; a restored site starts with empty caches",
    "webhooks.delivery": "attempts to deliver events; a restored site sends no old event again",
}


def exported() -> list[str]:
    """EXPORTED, with every registered kind of page it does not name, in insertion order."""
    from publishing import registry

    labels = list(EXPORTED)
    at = labels.index("reviews.physician")
    for kind in registry.kinds():
        label = kind.model._meta.label_lower
        if label not in labels and label not in NOT_KEPT:
            labels.insert(at, label)
            at += 1
    return labels


def must_be_empty() -> list[str]:
    # Migrations create the editorial groups, so a freshly migrated database already has rows
    # there; the import updates them by name. Every other exported table must be empty.
    return [label for label in exported() if label != GROUPS]


ENDPOINTS = "webhooks.endpoint"


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def export_content(stream, *, include_secrets=False) -> Counter:
    """Write the library to stream as JSON; returns how many rows of each model it holds.

    Webhook endpoints' signing secrets are written only with include_secrets."""
    from partners import usage

    usage.flush()  # requests still counted only in the cache would be lost
    objects = []
    with transaction.atomic():  # one consistent snapshot
        for label in exported():
            model = apps.get_model(label)
            objects += serializers.serialize(
                "python",
                model._base_manager.order_by("pk"),
                use_natural_foreign_keys=True,
                use_natural_primary_keys=label == GROUPS,
            )
    if not include_secrets:
        for obj in objects:
            if obj["model"] == ENDPOINTS:
                obj["fields"]["secret"] = ""
    # Signed as the file will read back: JSON types, times as text.
    objects = json.loads(json.dumps(objects, cls=_Encoder))
    exported_at = timezone.now().isoformat()
    counts = Counter(obj["model"] for obj in objects)
    json.dump(
        {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": exported_at,
            "counts": {label: counts[label] for label in exported()},
            "manifest": trust.sign_manifest(objects, exported_at),
            "objects": objects,
        },
        stream,
        cls=_Encoder,
        ensure_ascii=False,
        indent=1,
    )
    stream.write("\n")
    return counts


def import_content(
    stream, *, trusted_keys=None, keep_passwords=False, keep_superusers=False
) -> tuple[Counter, int, list[str]]:
    """Restore an export into an empty database, in one transaction.

    trusted_keys (kid → x) adds to the keys the site trusts by itself. Returns the rows restored
    per model, how many pages are live, and what the operator must know (accounts without
    passwords, endpoints without secrets). Raises BackupError, having written nothing, when the
    database holds content, the file is not a complete export, no trusted key signed it, rows
    are missing, added or changed, or its records do not agree with each other.
    """
    from conditions.library import rebuild_library

    data = _read(stream)
    objects = data["objects"]
    verify(_current_renderings_only(objects))
    keys = trust.check_signed(
        data.get("manifest"), objects, trust.site_keys() | (trusted_keys or {})
    )
    objects = _current_renderings_only(objects)
    notes = accounts.disarm(objects, keep_passwords=keep_passwords, keep_superusers=keep_superusers)
    notes += accounts.without_secrets(objects)
    with transaction.atomic():
        held = {label: apps.get_model(label)._base_manager.count() for label in must_be_empty()}
        if any(held.values()):
            raise BackupError(
                f"The database already holds {', '.join(described(held))}. Import only into "
                "an empty database (a new one, after migrate); nothing was imported."
            )
        counts = _restore(objects)
        accounts.record_keys_used(keys)
        live = rebuild_library()
        # What verify_library proves of a running site, proven of the restored one before the
        # transaction commits: signatures over each publication, the events' hash chain, and
        # each live page's content against its recorded digest. A file rewritten consistently
        # everywhere still fails here, since no one outside the site holds its signing key.
        problems = library_problems()
        if problems:
            raise BackupError(
                "The restored library does not verify: "
                + " ".join(problems[:5])
                + " The file was refused; nothing was imported."
            )
    return counts, live, notes


def described(counts) -> list[str]:
    """“3 users”, “1 condition”: the rows counted per model label, leaving out the zeros."""
    return [
        f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}"
        for label, count in counts.items()
        if count and (meta := apps.get_model(label)._meta)
    ]


def _read(stream) -> dict:
    """An export's contents, after checking the file is one and is complete."""
    try:
        data = json.load(stream)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BackupError(f"The file is not valid JSON: {error}.") from error
    except RecursionError as error:
        raise BackupError("The file is not an export: its JSON nests too deeply.") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"The file is not a content export (its format is not {FORMAT!r}).")
    if data.get("version") == 1:
        raise BackupError(
            "The file is export version 1, which the site did not sign: export the library "
            "again with this release."
        )
    if data.get("version") != VERSION:
        raise BackupError(
            f"The file is export version {data.get('version')!r}; this release reads {VERSION}."
        )
    objects, declared = data.get("objects"), data.get("counts")
    if not isinstance(objects, list) or not isinstance(declared, dict):
        raise BackupError("The file has no list of objects and their counts.")
    _rename_moved_models(objects, declared)
    for number, obj in enumerate(objects, start=1):
        if not isinstance(obj, dict) or not isinstance(obj.get("fields"), dict):
            raise BackupError(f"Object {number} is not a model, pk and fields.")
        if obj.get("model") not in exported():
            raise BackupError(
                f"Object {number} is a {obj.get('model')!r}, which an export does not hold."
            )
    found = Counter(obj["model"] for obj in objects)
    for label in exported():
        if declared.get(label, 0) != found[label]:
            raise BackupError(
                f"The file declares {declared.get(label, 0)} {label} but holds {found[label]}: "
                "it is incomplete or was edited."
            )
    return data


# Models that moved to another app since older exports were written: old label -> new label.
MOVED = {"conditions.pagerendering": "publishing.pagerendering"}


def _rename_moved_models(objects, declared) -> None:
    for old, new in MOVED.items():
        if old in declared:
            declared[new] = declared.pop(old)
    for obj in objects:
        if isinstance(obj, dict) and isinstance(obj.get("model"), str) and obj["model"] in MOVED:
            obj["model"] = MOVED[obj["model"]]


def _current_renderings_only(objects) -> list[dict]:
    """Only the condition pages' HTML of this PAGE_CACHE_VERSION is restored, after it is proven
    to be what its publication renders to. Other renderings (another version, the history page,
    the API's JSON) are derived from records the file holds and cannot be checked before they
    are written; they are left out and rendered again on first use."""
    version = settings.PAGE_CACHE_VERSION
    return [
        obj
        for obj in objects
        if obj["model"] != RENDERING
        or (
            obj["fields"].get("template") == DETAIL_TEMPLATE
            and str(obj["fields"].get("version")) == version
        )
    ]


def _restore(objects) -> Counter:
    """Insert the objects with their ids, then check every reference between them."""
    counts, deferred, position = Counter(), [], {"number": 0}

    def numbered():
        for number, obj in enumerate(objects, start=1):
            position["number"] = number
            yield obj

    try:
        for restored in serializers.deserialize(
            "python", numbered(), handle_forward_references=True
        ):
            # save_base(raw=True) inserts with the explicit id and no signals' side effects;
            # it bypasses AppendOnlyModel.save, which refuses rows that look already saved.
            restored.save()
            if restored.deferred_fields:
                deferred.append(restored)
            counts[restored.object._meta.label_lower] += 1
        for restored in deferred:
            restored.save_deferred_fields()
        position["number"] = None
        models = [apps.get_model(label) for label in exported()]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        connection.check_constraints()
    except (
        DeserializationError,
        DatabaseError,
        ValidationError,
        ObjectDoesNotExist,
        FieldDoesNotExist,
        TypeError,
        ValueError,
    ) as error:
        where = f"Object {position['number']}" if position["number"] else "The file"
        detail = " ".join(str(error).split())  # PostgreSQL's messages span lines
        raise BackupError(f"{where} cannot be imported: {detail}") from error
    return counts
