"""The admin over HTTP as a browser uses it: signed in, CSRF checks on, the token sent back."""

from django.test import Client

from tests.admin_forms import change_form_data
from tests.conftest import PASSWORD


class AdminBrowser:
    """One person's browser on the admin. Every POST carries the CSRF token the admin set."""

    def __init__(self, user):
        self.client = Client(enforce_csrf_checks=True)
        assert self.client.login(username=user.username, password=PASSWORD)
        self.client.get("/admin/")  # the admin's pages set the CSRF cookie

    def get(self, path, **params):
        return self.client.get(path, params)

    def post(self, path, data=None):
        token = self.client.cookies["csrftoken"].value
        return self.client.post(path, {**(data or {}), "csrfmiddlewaretoken": token})

    def messages(self, response) -> str:
        """The text of the page a POST led to, following its redirect."""
        if response.status_code in (301, 302):
            response = self.client.get(response["Location"])
        return response.content.decode()

    def save_unchanged(self, change_path):
        """Open a change form and press Save without touching anything."""
        return self.post(change_path, change_form_data(self.get(change_path)))

    def save_changed(self, change_path, **changes):
        return self.post(change_path, change_form_data(self.get(change_path), **changes))


def page_url(page, view="change/"):
    return f"/admin/conditions/condition/{page.pk}/{view}"


def review(browser, page, decision, **data):
    return browser.post(page_url(page, "review/"), {"decision": decision, **data})


def step(browser, page, name, **data):
    return browser.post(page_url(page, f"workflow/{name}/"), data)
