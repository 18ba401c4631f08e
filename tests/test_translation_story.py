"""The translation story, played in Chromium through the real admin: a translator updates the
Spanish summary and submits it; a physician who reviews in Spanish signs it with the password;
a publisher publishes; a Spanish reader sees the new text and the Spanish stamp."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser import chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NEW_SUMMARY = (
    "TOC que no ha respondido a los ISRS ni a la exposición con prevención de respuesta; "
    "la ketamina es una opción en investigación."
)


@pytest.fixture
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture
def spanish_page(live_server, settings):
    from conditions.demo_content import load_demo
    from translations.demo import load_spanish_demo

    settings.DEBUG = True  # demo accounts get their documented passwords only in DEBUG
    load_demo()
    translation = load_spanish_demo()
    settings.DEBUG = False
    return translation


def sign_in(browser, live_server, username, password):
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    expect(page.locator("#user-tools")).to_contain_text("Log out")
    return page


def shot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"translation-{name}.png"), full_page=True)


def test_translator_physician_publisher_and_spanish_reader(browser, live_server, spanish_page):
    """Each role through its own screens; the Spanish reader sees the signed change."""
    change_url = f"{live_server.url}/admin/translations/translation/{spanish_page.pk}/change/"
    public_url = f"{live_server.url}/es/conditions/treatment-resistant-ocd/"
    summary_row = [s.label for s in spanish_page.ordered_segments()].index("Summary")

    translator = sign_in(browser, live_server, "translator", "tovani-translator")
    translator.goto(change_url)
    translator.fill(f"#id_segments-{summary_row}-text", NEW_SUMMARY)
    translator.click("input[name=_continue]")
    expect(translator.locator(".workflow-state")).to_have_text("Live, with unreviewed changes")
    translator.fill("#id_note", "Shorter summary, same facts.")
    translator.get_by_role("button", name="Submit for review", exact=True).click()
    expect(translator.locator(".messagelist")).to_contain_text("Submitted for review.")
    shot(translator, "1-translator-submitted")
    translator.close()

    physician = sign_in(browser, live_server, "elena.demo", "tovani-physician-es")
    physician.goto(change_url.replace("/change/", "/review/"))
    shot(physician, "2-physician-review")
    # Each segment beside its English source, the changed one among them.
    expect(physician.locator("#content")).to_contain_text("English: OCD that hasn't responded")
    expect(physician.locator(".diff-section.changed h3")).to_have_text(["Summarychanged"])
    physician.fill("#id_password", "tovani-physician-es")
    physician.fill("#id_note", "Accurate and clear in Spanish.")
    physician.get_by_role("button", name="Sign off").click()
    expect(physician.locator(".workflow-state")).to_have_text("Approved, not yet published")

    publisher = sign_in(browser, live_server, "publisher", "tovani-publisher")
    publisher.goto(change_url)
    publisher.get_by_role("button", name="Publish", exact=True).click()
    expect(publisher.locator(".messagelist")).to_contain_text("Published.")
    expect(publisher.locator(".workflow-state")).to_have_text("Live")
    shot(publisher, "3-publisher-published")

    reader = browser.new_context(locale="es-US").new_page()
    reader.goto(public_url)
    expect(reader.locator("html")).to_have_attribute("lang", "es")
    expect(reader.locator("main")).to_contain_text(NEW_SUMMARY)
    expect(reader.locator(".review-stamp")).to_contain_text(
        "Revisado por Dra. Elena Demo Vargas, MD el"
    )
    expect(reader.locator(".review-stamp")).to_contain_text("Traducido de la versión en inglés del")
    shot(reader, "4-spanish-reader")
    reader.get_by_role("link", name="Read this page in English").click()
    expect(reader.locator("html")).to_have_attribute("lang", "en")
    # And back: the English page offers its Spanish version while it is live.
    expect(reader.locator(".language-switch")).to_have_text("Leer en español")
    shot(reader, "5-english-offers-spanish")
    reader.get_by_role("link", name="Leer en español").click()
    expect(reader.locator("html")).to_have_attribute("lang", "es")
    # From the Spanish page to the Spanish index, and a search in Spanish without accents.
    reader.get_by_role("link", name="Todas las afecciones clínicas").first.click()
    expect(reader.locator("h1")).to_have_text("Todas las afecciones clínicas")
    expect(reader.locator("main")).to_contain_text(NEW_SUMMARY)
    shot(reader, "6-spanish-index")
    reader.fill("#site-search-q", "exposicion ketamina")
    reader.press("#site-search-q", "Enter")
    expect(reader.locator("html")).to_have_attribute("lang", "es")
    expect(reader.locator("#results-heading")).to_have_text(
        "1 resultado para «exposicion ketamina»"
    )
    shot(reader, "7-spanish-search")
    reader.get_by_role("link", name="TOC resistente al tratamiento").click()
    expect(reader.locator("main")).to_contain_text(NEW_SUMMARY)
