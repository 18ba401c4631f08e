"""A library of generated, published condition pages, for the benchmark.

Rows are bulk-created (the drafts are fixtures), but every page is signed off and published
through the real workflow: reviews.workflow.sign_off() and publish().
"""

import secrets
import sys
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import override_settings

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
from reviews import workflow
from reviews.models import Physician

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


def generate(count=1000, references=20, faqs=10, treatments=5, out=sys.stdout):
    started = time.monotonic()
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        editor, physician, publisher = _people()
        pool = _treatments(50)
        with transaction.atomic():
            conditions = _conditions(count, references, faqs, treatments, pool)
        out.write(f"  {count} drafts in {time.monotonic() - started:.0f} s; publishing\n")
        for done, condition in enumerate(conditions, start=1):
            workflow.sign_off(condition, physician, PASSWORD)
            workflow.publish(condition, publisher)
            if done % 100 == 0:
                out.write(f"  {done} published ({time.monotonic() - started:.0f} s)\n")
                out.flush()
    return conditions


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
        Condition(
            slug=slug(n),
            title=f"Bench condition {n:04d}",
            summary=f"Generated condition {n:04d}: a page of the benchmark library, with a "
            "section on where ketamine fits.",
            clinical_definition=f"Condition {n:04d} is defined for the benchmark [@b{n:04d}r00].",
            standard_treatments_fail="When standard treatments fail, specialists escalate.",
            ketamine_fit=f"Ketamine for condition {n:04d} is investigational [@b{n:04d}r01].",
            clinic_indication_status=STATUSES[n % len(STATUSES)],
            clinic_fit="Where this fits with the clinic.",
        )
        for n in range(1, count + 1)
    )
    refs = Reference.objects.bulk_create(
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
    )
    through = Condition.references.through
    through.objects.bulk_create(
        through(condition=c, reference=refs[i * references + r])
        for i, c in enumerate(conditions)
        for r in range(references)
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
