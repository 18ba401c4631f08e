"""The README's two verifiers, run as a partner runs them against a live server: a few lines of
Python with PyNaCl, and of JavaScript with Node's own crypto. Each accepts the detail as served
and rejects it once any field a partner displays is changed."""

import copy
import json
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from reviews.models import Publication

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VERIFIERS = Path(__file__).resolve().parent.parent / "docs" / "verifiers"
SLUG = "treatment-resistant-ocd"


def verifiers() -> dict:
    node = shutil.which("node")
    assert node, "Node is needed: .ci/run installs it with npm"
    return {
        "Python": [sys.executable, str(VERIFIERS / "verify_detail.py")],
        "JavaScript": [node, str(VERIFIERS / "verify_detail.mjs")],
    }


@pytest.fixture
def site(live_server, settings, partner_key):
    """The demo page published on a live server whose address is the site's."""
    from conditions.demo_content import load_demo

    settings.SITE_URL = live_server.url
    settings.DEBUG = True
    load_demo()
    settings.DEBUG = False
    assert Publication.objects.live().count() == 1
    return live_server.url, partner_key


def fetch(site, path="/api/v1/conditions/treatment-resistant-ocd/") -> dict:
    url, key = site
    request = urllib.request.Request(url + path, headers={"X-API-Key": key})  # noqa: S310
    with urllib.request.urlopen(request) as answer:  # noqa: S310 - the test's own server
        return json.load(answer)


def run_each(site, detail, tmp_path) -> dict:
    """Each verifier's exit status and output, given the detail as a stored file."""
    stored = tmp_path / "detail.json"
    stored.write_text(json.dumps(detail, ensure_ascii=False), encoding="utf-8")
    keys = site[0] + "/.well-known/tovani-keys.json"
    results = {}
    for name, command in verifiers().items():
        done = subprocess.run(  # noqa: S603 - our own verifier files
            [*command, keys, str(stored)], capture_output=True, text=True, timeout=60
        )
        results[name] = (done.returncode, done.stdout + done.stderr)
    return results


def changed(detail, change) -> dict:
    detail = copy.deepcopy(detail)
    change(detail)
    return detail


CHANGES = {
    "summary": lambda d: d.update(summary=d["summary"] + " Cures it."),
    "an FAQ answer": lambda d: d["faqs"][0].update(text="Yes, always."),
    "the regulatory notice": lambda d: d.update(regulatory_notice="FDA-approved for OCD."),
    "the physician's name": lambda d: d["review"]["physician"].update(name="Ben Sofer"),
    "the review date": lambda d: d["review"].update(date="2026-11-02"),
    "next_review_due": lambda d: d["review"].update(next_review_due="2030-01-01"),
}


def test_both_verifiers_accept_the_detail_as_served(site, tmp_path):
    """The untouched detail verifies in Python and in JavaScript, by its representation."""
    detail = fetch(site)
    assert json.loads(detail["verification"]["payload"])["version"] == 2
    for name, (status, output) in run_each(site, detail, tmp_path).items():
        assert status == 0, (name, output)
        assert "payload version 2" in output


@pytest.mark.parametrize("field", list(CHANGES))
def test_both_verifiers_reject_a_detail_with_a_changed_field(site, tmp_path, field):
    """Changing a displayed field of a fetched detail makes both verifiers fail."""
    results = run_each(site, changed(fetch(site), CHANGES[field]), tmp_path)
    for name, (status, output) in results.items():
        assert status != 0, (name, field)
        assert "representation_digest differs" in output, (name, output)


def test_a_detail_with_a_payload_of_the_first_form_still_verifies(site, tmp_path, settings):
    """A publication whose detail carries only its record's signature (signed before details
    were, or served by a copy that holds no key) verifies with both verifiers by its record."""
    settings.SIGNING_KEY = ""
    settings.SIGNING_KEY_FILE = ""
    settings.API_CACHE_VERSION = "later"
    detail = fetch(site)
    assert "version" not in json.loads(detail["verification"]["payload"])
    for name, (status, output) in run_each(site, detail, tmp_path).items():
        assert status == 0, (name, output)
        assert "payload version 1" in output
    tampered = changed(detail, CHANGES["the physician's name"])
    tampered["review"]["physician"]["signature"] = "Dr. Ben Sofer, DO"
    assert all(status != 0 for status, _ in run_each(site, tampered, tmp_path).values())


def test_the_readme_gives_both_verifiers_as_they_run_here():
    """The verifiers a partner copies from the README are the files CI runs."""
    readme = (VERIFIERS.parent.parent / "README.md").read_text(encoding="utf-8")
    for path in VERIFIERS.iterdir():
        assert path.read_text(encoding="utf-8").strip() in readme, path.name
