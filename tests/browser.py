"""Debian's Chromium, driven by Playwright, for the tests that need a real browser."""

import contextlib
import os
from urllib.parse import urlsplit

from django.db import connections
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@contextlib.contextmanager
def chromium():
    """A launched browser. Playwright's sync API keeps an event loop in this thread; the ORM
    calls tests make between browser steps are ordinary synchronous ones.

    While Playwright runs, its loop counts as running in this thread, so Django keeps database
    connections per context instead of per thread: a connection opened then is invisible once
    the browser has gone, and nothing would close it (on PostgreSQL it then holds the test
    database open, and the suite cannot drop it). They are closed here, while still visible.
    """
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
                connections.close_all()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


ORIGIN = "http://library.test"


def serve_from(page, client, paths):
    """Answer the page's requests to ORIGIN with what Django's test client gave for paths.

    The responses are fetched first, in the test's thread and transaction; the browser then
    reads exactly what the app serves, with no live server thread and no committed data.
    Anything else is a 404.
    """
    responses = {path: _fetch(client, path) for path in paths}
    stylesheets = {
        link.split('"')[0] for html in responses.values() for link in _hrefs(html[2], ".css")
    }
    responses.update({path: _fetch(client, path) for path in stylesheets})

    def answer(route):
        url = urlsplit(route.request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        status, headers, body = responses.get(path, (404, {}, b""))
        route.fulfill(status=status, headers=headers, body=body)

    page.route(f"{ORIGIN}/**", answer)
    return page


def _fetch(client, path):
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, dict(response.items()), body


def _hrefs(html: bytes, ending: str) -> list[str]:
    text = html.decode("utf-8", "replace")
    return [part for part in text.split('href="')[1:] if part.split('"')[0].endswith(ending)]
