"""Publish and withdraw a drill page, timing how long each change takes to show at every address.

For a staging deployment or the local cluster (`make cluster`): it creates its own page and
staff accounts (names starting with "recall-drill"), publishes a new version N times and
withdraws it, and after each step asks every --through address until the change shows there,
then a few more times to prove it stays. After each withdrawal it waits for every cache to
confirm the purge, then asks every address again: none may serve the page after that. Prints
JSON: the seconds each step took (the slowest address), how long each withdrawal's purge took
to be confirmed, the addresses that served the page after its confirmation (none), and how long
every cache took to confirm each purge.
"""

import json
import secrets
import time
import urllib.error
import urllib.request

import reversion
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from conditions.models import Condition
from purges.models import Purge
from references.models import Reference
from reviews import workflow
from reviews.models import Physician

SLUG = "recall-drill"
ROLES = {"editor": "Editors", "physician": "Physicians", "publisher": "Publishers"}


class Command(BaseCommand):
    help = "Time how long a publish and a withdrawal take to show at each address."

    def add_arguments(self, parser):
        parser.add_argument("--through", action="append", required=True, help="a base URL")
        parser.add_argument("--tries", type=int, default=20)
        parser.add_argument("--timeout", type=float, default=10.0)
        parser.add_argument(
            "--retraction", action="store_true", help="retract a reference the page cites"
        )
        parser.add_argument(
            "--keep-live", action="store_true", help="leave the last version published"
        )

    def handle(self, *args, through, tries, timeout, retraction, keep_live, **options):
        self.bases = [url.rstrip("/") for url in through]
        self.timeout = timeout
        self.people = _people()
        page = _page(self.people["editor"])
        result = {
            "publish_visible": [],
            "withdrawal_gone": [],
            "withdrawal_confirmed": [],
            "served_after_confirmation": [],
            "confirmed": [],
        }
        # One round untimed first: the worker's and the nodes' first requests load code.
        self._publish(page, 0)
        workflow.unpublish(page, self.people["publisher"], "Recall drill warm-up.")
        self._until(_gone)
        since = Purge.objects.for_object(page).order_by("-pk").values_list("pk", flat=True)[0]
        for number in range(1, tries + 1):
            marker = self._publish(page, number)
            result["publish_visible"].append(self._until(lambda r, m=marker: _shows(r, m)))
            if keep_live and number == tries:
                break
            if retraction:
                self._retract(page)
            else:
                workflow.unpublish(page, self.people["publisher"], "Recall drill.")
            result["withdrawal_gone"].append(self._until(_gone))
            purge = self._confirmed(page, since)
            result["withdrawal_confirmed"].append(purge.seconds_to_confirm)
            # Once every cache confirmed, no address may answer with the page again.
            result["served_after_confirmation"] += [
                base for base in self.bases * 3 if not _gone(_get(base))
            ]
        result["confirmed"] = [
            purge.seconds_to_confirm
            for purge in Purge.objects.for_object(page).filter(
                pk__gt=since, confirmed_at__isnull=False
            )
        ]
        self.stdout.write(json.dumps(result))

    def _publish(self, page, number) -> str:
        marker = f"Recall drill version {number}-{secrets.token_hex(4)}"
        with reversion.create_revision():
            reversion.set_user(self.people["editor"])
            page.summary = f"{marker}."
            page.clinical_definition = "A page for timing recall [@recall-drill]."
            page.save()
        _reference().__class__.objects.filter(citekey=SLUG).update(retracted=False)
        physician, password = self.people["physician"], self.people["password"]
        workflow.sign_off(page, physician, password)
        workflow.publish(page, self.people["publisher"])
        return marker

    def _retract(self, page):
        reference = _reference()
        reference.retracted = True
        reference.retraction_notice = "Retracted for the recall drill."
        reference.save()
        if workflow.live_publication(page) is not None:
            raise CommandError("The retraction left the drill page live.")

    def _confirmed(self, page, since) -> Purge:
        """The page's last withdrawal purge, once every cache has confirmed it."""
        started = time.monotonic()
        while time.monotonic() - started < self.timeout:
            purge = (
                Purge.objects.for_object(page)
                .filter(pk__gt=since, reason=Purge.Reason.WITHDRAWN)
                .order_by("-pk")
                .first()
            )
            if purge is not None and purge.confirmed_at is not None:
                return purge
            time.sleep(0.01)
        raise CommandError(f"No cache confirmed the withdrawal within {self.timeout} s.")

    def _until(self, done) -> float:
        """Seconds from now until every address answers as done() wants, and keeps doing so."""
        started = time.monotonic()
        waiting = list(self.bases)
        while waiting:
            if time.monotonic() - started > self.timeout:
                raise CommandError(f"Still not changed after {self.timeout} s: {waiting}")
            waiting = [base for base in waiting if not done(_get(base))]
            if waiting:
                time.sleep(0.01)
        took = time.monotonic() - started
        for base in self.bases * 3:
            if not done(_get(base)):
                raise CommandError(f"{base} went back to the old answer after the change showed.")
        return round(took, 3)


def _get(base):
    try:
        with urllib.request.urlopen(f"{base}/conditions/{SLUG}/", timeout=5) as answer:  # noqa: S310
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def _shows(answer, marker) -> bool:
    return answer[0] == 200 and marker in answer[1]


def _gone(answer) -> bool:
    return answer[0] == 404


def _people() -> dict:
    people = {}
    for role, group in ROLES.items():
        user, _ = User.objects.get_or_create(
            username=f"recall-drill-{role}", defaults={"is_staff": True}
        )
        user.groups.add(Group.objects.get(name=group))
        people[role] = user
    people["password"] = secrets.token_urlsafe(24)
    people["physician"].set_password(people["password"])
    people["physician"].save()
    Physician.objects.get_or_create(
        user=people["physician"],
        defaults={"display_name": "Recall Drill", "credentials": "MD", "slug": SLUG},
    )
    return people


def _reference():
    found, _ = Reference.objects.get_or_create(
        citekey=SLUG,
        defaults={"authors": "Drill A", "title": "A reference for the recall drill", "year": 2026},
    )
    return found


def _page(editor):
    _reference()
    page = Condition.objects.filter(slug=SLUG).first()
    if page is None:
        with reversion.create_revision():
            reversion.set_user(editor)
            page = Condition.objects.create(slug=SLUG, title="Recall Drill", summary="Drill.")
    if workflow.live_publication(page) is not None:
        workflow.unpublish(page, User.objects.get(username="recall-drill-publisher"), "Drill.")
    return page
