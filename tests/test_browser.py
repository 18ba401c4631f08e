"""The public page in a real browser: Debian's Chromium driven by Playwright."""

import os
from pathlib import Path

import pytest

from reviews.models import Publication
from tests.browser import PHONE, chromium

# The live server needs committed data; serialized rollback puts back the rows migrations made
# (the editorial groups) for the tests that run after this one.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def page(tmp_path):
    with chromium() as browser:
        yield browser.new_context(viewport=PHONE).new_page()


@pytest.fixture
def demo_live(live_server, settings):
    from conditions.demo_content import load_demo

    settings.DEBUG = True
    load_demo()
    settings.DEBUG = False
    assert Publication.objects.live().count() == 1


def test_a_visitor_on_a_phone_reads_the_page_and_follows_a_citation(
    live_server, demo_live, page, tmp_path
):
    """The page renders with its stylesheet, and a citation number jumps to its reference."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/conditions/treatment-resistant-ocd/")
    assert page.title().startswith("Treatment-Resistant OCD")
    assert page.locator("h1").inner_text() == "Treatment-Resistant OCD"
    # The stylesheet loaded: the key points box has its tinted background.
    background = page.locator(".key-points").evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(244, 246, 249)"
    page.locator("sup.citation a").first.click()
    assert page.url.endswith("#ref-1")
    assert "Rodriguez CI et al. 2013" in page.locator("#ref-1").inner_text()
    assert (
        page.locator(".review-stamp")
        .inner_text()
        .startswith("Last reviewed by Dr. Ben Soffer, DO on June 2, 2026.")
    )
    # SCREENSHOT_DIR keeps the picture for a person to look at.
    shot = Path(os.environ.get("SCREENSHOT_DIR", tmp_path)) / "condition-page-phone.png"
    page.screenshot(path=shot, full_page=True)
    assert shot.stat().st_size > 0
    assert errors == []
