"""A library of generated, published condition pages, for the benchmark.

Rows are bulk-created (the drafts are fixtures), but every page is signed off and published
through the real workflow: reviews.workflow.sign_off() and publish().
"""

import os
import secrets
import sys
import time
import traceback
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.test import override_settings
from django.utils import timezone

from bench.copies import publish_copies
from conditions.models import (
    FAQ,
    ClinicalCode,
    Comparison,
    Condition,
    ConditionTreatment,
    KeyPoint,
    SearchPhrase,
    Treatment,
)
from references.models import Reference
from reviews import audit_chain, workflow
from reviews.models import EventChainLock, Physician, ReviewEvent

# The bench accounts sign with a password of this run only.
PASSWORD = secrets.token_urlsafe(24)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LINES = ["first_line", "first_line", "escalation", "specialist", "investigational"]
KINDS = ["psychotherapy", "medication", "augmentation", "neuromodulation", "program"]
ICD11_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
STEM_DIGITS = "12345789"
STATUSES = ["established", "case_by_case", "not_indicated"]


def slug(number: int) -> str:
    return f"bench-condition-{number:04d}"


# Pages published through the workflow, at most; the rest are renumbered copies (bench.copies).
WORKFLOW_PAGES = 1000


def generate(
    count=1000,
    references=20,
    faqs=10,
    treatments=5,
    events=10,
    jobs=1,
    workflow_pages=WORKFLOW_PAGES,
    out=sys.stdout,
):
    """count published pages, each with its references, parts and review events (events a page
    in all, the workflow's sign-off and publish among them; the others an earlier history
    bulk-inserted into the audit chain). Up to workflow_pages pages, spread evenly through the
    numbers (each stride-th), are signed and published through the workflow by jobs processes;
    every other page is published as a copy of the workflow page before it (bench.copies)."""
    started = time.monotonic()
    stride = max(1, count // workflow_pages)
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        editor, physician, publisher = _people()
        pool = _treatments(50)
        with transaction.atomic():
            conditions = _conditions(count, references, faqs, treatments, pool)
            numbered = list(enumerate(conditions, start=1))
            signed = [page for number, page in numbered if number % stride == 0]
            copied = [page for number, page in numbered if number % stride]
            history = _history(signed, editor, physician, publisher, events - 2)
            history += _history(copied, editor, physician, publisher, events, now=True)
        out.write(
            f"  {count:,} drafts, {count * references:,} references and {history:,} review "
            f"events in bulk in {time.monotonic() - started:.0f} s; publishing {len(signed):,} "
            f"through the workflow in {jobs} processes\n"
        )
        out.flush()
        if jobs <= 1:
            _publish_share(signed, physician, publisher, started, out)
        else:
            _publish_in_processes(signed, physician, publisher, jobs, started, out)
        if copied:
            base = dict(numbered)
            pairs = [
                (number, page, max(stride, number - number % stride), None)
                for number, page in numbered
                if number % stride
            ]
            pairs = [(n, page, b, base[b]) for n, page, b, _ in pairs]
            with transaction.atomic():
                publish_copies(pairs, ContentType.objects.get_for_model(Condition).pk)
            out.write(
                f"  {len(copied):,} pages published as copies "
                f"({time.monotonic() - started:.0f} s)\n"
            )
    return conditions


def _publish_share(conditions, physician, publisher, started, out, every=100, of=None):
    for done, condition in enumerate(conditions, start=1):
        workflow.sign_off(condition, physician, PASSWORD)
        workflow.publish(condition, publisher)
        if done % every == 0:
            total = f" of {of:,}" if of else ""
            out.write(f"  {done:,}{total} published ({time.monotonic() - started:.0f} s)\n")
            out.flush()


def _publish_in_processes(conditions, physician, publisher, jobs, started, out):
    """Each forked process signs and publishes every jobs-th page through the workflow. The
    audit chain's lock keeps their events in one chain; the pages' rendering and documents,
    most of a publish's cost, build side by side."""
    connections.close_all()  # a forked child must open its own connection
    children = []
    for job in range(jobs):
        pid = os.fork()
        if pid == 0:  # the child: publish its share, then leave without running the parent's exit
            code = 0
            try:
                share = conditions[job::jobs]
                _publish_share(share, physician, publisher, started, out, 500, len(share))
            except BaseException:
                traceback.print_exc()
                code = 1
            finally:
                connections.close_all()
                out.flush()
                os._exit(code)
        children.append(pid)
    failed = [pid for pid in children if os.waitpid(pid, 0)[1] != 0]
    if failed:
        raise RuntimeError(f"{len(failed)} of {jobs} publishing processes failed")


def _history(conditions, editor, physician, publisher, per_page, now=False):
    """per_page review events a page (rounds of submit, changes requested, sign-off and publish,
    dated years back; with now, the last two are a sign-off and a publish today), appended to the
    audit chain with their hashes in chain order, in bulk."""
    if per_page <= 0:
        return 0
    kinds = [
        (ReviewEvent.Kind.SUBMITTED, editor),
        (ReviewEvent.Kind.CHANGES_REQUESTED, physician),
        (ReviewEvent.Kind.SUBMITTED, editor),
        (ReviewEvent.Kind.SIGNED_OFF, physician),
        (ReviewEvent.Kind.PUBLISHED, publisher),
    ]
    content_type = ContentType.objects.get_for_model(Condition)
    EventChainLock.objects.get_or_create(pk=1)
    EventChainLock.objects.select_for_update().get(pk=1)
    previous = ReviewEvent.objects.order_by("-pk").values_list("hash", flat=True).first() or ""
    moment = timezone.now()
    long_ago = moment - timedelta(days=1000)
    rows = []
    for i, condition in enumerate(conditions):
        for k in range(per_page):
            kind, actor = kinds[k % len(kinds)]
            today = now and k >= per_page - 2
            if today:
                kind, actor = kinds[3 + k - (per_page - 2)]
            event = ReviewEvent(
                content_type=content_type,
                object_id=condition.pk,
                kind=kind,
                actor=actor,
                digest=f"{i:032x}{k:032x}",
                note=f"Earlier round {k // len(kinds) + 1}." if kind != kinds[0][0] else "",
                at=moment if today else long_ago + timedelta(days=k * 60, seconds=i),
                previous_hash=previous,
            )
            event.hash = previous = audit_chain.event_hash(event)
            rows.append(event)
    ReviewEvent.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _people():
    users = []
    for username, group in [
        ("bench-editor", "Editors"),
        ("bench-physician", "Physicians"),
        ("bench-publisher", "Publishers"),
    ]:
        user, _ = get_user_model().objects.get_or_create(username=username, is_staff=True)
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(Group.objects.get(name=group))
        users.append(user)
    Physician.objects.get_or_create(
        user=users[1], defaults={"display_name": "Bench Reviewer", "credentials": "MD"}
    )
    return users


def _treatments(size):
    return [
        Treatment.objects.update_or_create(
            slug=f"bench-treatment-{n:02d}",
            defaults={
                "name": f"Bench treatment {n:02d}",
                "kind": KINDS[n % len(KINDS)],
                "summary": f"Generated treatment {n:02d}: what it is, in a sentence or two.",
            },
        )[0]
        for n in range(size)
    ]


def _conditions(count, references, faqs, treatments, pool):
    conditions = Condition.objects.bulk_create(
        (
            Condition(
                slug=slug(n),
                title=f"Bench condition {n:04d}",
                summary=f"Generated condition {n:04d}: a page of the benchmark library, with a "
                "section on where ketamine fits.",
                clinical_definition=f"Condition {n:04d} is defined for the benchmark "
                f"[@b{n:04d}r00].",
                standard_treatments_fail="When standard treatments fail, specialists escalate.",
                ketamine_fit=f"Ketamine for condition {n:04d} is investigational [@b{n:04d}r01].",
                clinic_indication_status=STATUSES[n % len(STATUSES)],
                clinic_fit="Where this fits with the clinic.",
            )
            for n in range(1, count + 1)
        ),
        batch_size=2000,
    )
    refs = Reference.objects.bulk_create(
        (
            Reference(
                citekey=f"b{n:04d}r{r:02d}",
                authors="Author AB, Writer CD, Scholar EF",
                title=f"Study {r} of generated condition {n:04d}",
                journal="Journal of Generated Evidence",
                year=2000 + r,
                volume=str(r + 1),
                issue="2",
                pages="100-110",
                pmid=str(30_000_000 + n * 100 + r),
                doi=f"10.5555/bench.{n}.{r}",
                note=f"What study {r} found about condition {n:04d}.",
            )
            for n in range(1, count + 1)
            for r in range(references)
        ),
        batch_size=5000,
    )
    through = Condition.references.through
    through.objects.bulk_create(
        (
            through(condition=c, reference=refs[i * references + r])
            for i, c in enumerate(conditions)
            for r in range(references)
        ),
        batch_size=5000,
    )
    _parts(conditions, references, faqs, treatments, pool)
    return conditions


def _parts(conditions, references, faqs, treatments, pool):
    codes, phrases, points, comparisons, items, questions = [], [], [], [], [], []
    for i, c in enumerate(conditions):
        n = i + 1
        # Stems outside chapter 6 (mental disorders), so none is a real psychiatric code.
        stem = f"{STEM_DIGITS[n % 8]}{ICD11_LETTERS[(n // 8) % 24]}{(n // 192) % 10}0"
        codes += [
            ClinicalCode(condition=c, system="ICD-11", code=stem, sort_order=1),
            ClinicalCode(
                condition=c, system="ICD-10-CM", code=f"F{n % 100:02d}.{n % 10}", sort_order=2
            ),
        ]
        phrases += [
            SearchPhrase(condition=c, phrase=text, sort_order=k)
            for k, text in enumerate(
                [
                    f"ketamine for condition {n}",
                    f"condition {n} treatment options",
                    f"does ketamine help condition {n}",
                    f"condition {n} not responding",
                    f"refractory condition {n}",
                ],
                start=1,
            )
        ]
        # Key points cite the references 2..N-1 in order, two a point.
        cited = [f"b{n:04d}r{r:02d}" for r in range(2, references)]
        for k, pair in enumerate((cited[j : j + 2] for j in range(0, len(cited), 2)), start=1):
            keys = "; ".join(f"@{key}" for key in pair)
            points.append(
                KeyPoint(
                    condition=c,
                    sort_order=k,
                    text=(
                        f"Key point {k} of condition {n:04d}: a sentence with **emphasis** and a "
                        f"claim the evidence supports [{keys}]."
                    ),
                )
            )
        comparisons += [
            Comparison(
                condition=c,
                sort_order=k,
                name=f"Related condition {k}",
                text=f"How condition {n:04d} differs from related condition {k}.",
            )
            for k in range(1, 4)
        ]
        items += [
            ConditionTreatment(
                condition=c,
                treatment=pool[(i * treatments + k) % len(pool)],
                line_of_therapy=LINES[k % len(LINES)],
                description=f"Treatment {k} for condition {n:04d}: when and why it is used.",
                sort_order=k,
            )
            for k in range(treatments)
        ]
        questions += [
            FAQ(
                condition=c,
                sort_order=k,
                question=f"Question {k} about condition {n:04d}?",
                answer=f"An answer of two sentences to question {k}. It is generated.",
            )
            for k in range(1, faqs + 1)
        ]
    for model, rows in [
        (ClinicalCode, codes),
        (SearchPhrase, phrases),
        (KeyPoint, points),
        (Comparison, comparisons),
        (ConditionTreatment, items),
        (FAQ, questions),
    ]:
        model.objects.bulk_create(rows, batch_size=2000)
