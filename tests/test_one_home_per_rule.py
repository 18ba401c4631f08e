"""Each cross-cutting rule has one home: the cache only through tovani/shared_cache.py, the
client's address only through tovani/client_address.py."""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Where the application's code lives: every app and the project package.
SKIPPED = {"tests", "bench", "node_modules", "static", "templates", "deploy"}

OWNERS = {
    # Settings name the cache backends; only the shared cache uses one.
    re.compile(r"django\.core\.cache\b|from django\.core import cache"): {
        "tovani/shared_cache.py",
        "tovani/settings.py",
    },
    re.compile(r"REMOTE_ADDR"): {"tovani/client_address.py"},
}


def application_modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in SKIPPED or relative.parts[0].startswith("."):
            continue
        yield relative.as_posix(), path.read_text(encoding="utf-8")


def uses_outside_owners():
    found = []
    for name, text in application_modules():
        for pattern, owners in OWNERS.items():
            if name not in owners and pattern.search(text):
                found.append(f"{name}: {pattern.pattern}")
    return found


def test_the_cache_and_the_client_address_are_used_only_through_their_modules():
    """No module reads django.core.cache or REMOTE_ADDR itself."""
    assert uses_outside_owners() == []


def test_the_check_finds_a_module_that_reads_remote_addr_itself(tmp_path, monkeypatch):
    """A module that reads the socket's address itself is named."""
    app = tmp_path / "stray"
    app.mkdir()
    (app / "views.py").write_text('address = request.META["REMOTE_ADDR"]\n')
    (app / "caching.py").write_text("from django.core.cache import cache\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert uses_outside_owners() == [
        r"stray/caching.py: django\.core\.cache\b|from django\.core import cache",
        "stray/views.py: REMOTE_ADDR",
    ]
