"""'Edit this page' on a public condition page: the page is the same bytes for everyone (it is
served from stored renderings and shared caches); its script asks a private, never-cached
endpoint, which answers with the change screen only for signed-in staff who may edit the page."""

import pytest
from django.test import Client

from reviews import workflow
from reviews.edit_link import STAFF_HINT_COOKIE
from tests.conftest import PASSWORD, make_user
from tests.test_translation_statements import statement
from tests.translating import english_page, spanish_physician, translated_page, translator_user

PUBLIC = "/conditions/test-condition/"
ENDPOINT = "/staff/edit-link/"


def signed_in(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_public_page_is_the_same_for_a_reader_and_for_staff(published, editor):
    anonymous = Client().get(PUBLIC)
    staff = signed_in(editor).get(PUBLIC)
    assert anonymous.content == staff.content
    assert "public" in anonymous["Cache-Control"]
    html = anonymous.content.decode()
    assert 'src="/static/site/edit-link.js"' in html
    assert f'data-endpoint="{ENDPOINT}"' in html
    assert "Edit this page" not in html
    assert "/admin/" not in html


def test_the_endpoint_names_the_change_screen_for_an_editor_only(published, editor):
    change = f"/admin/conditions/condition/{published.pk}/change/"
    answer = signed_in(editor).get(ENDPOINT, {"path": PUBLIC})
    assert answer.json() == {"edit_url": change, "label": "Edit this page"}
    assert "no-store" in answer["Cache-Control"]
    assert "private" in answer["Cache-Control"]
    assert "Cookie" in answer["Vary"]
    assert Client().get(ENDPOINT, {"path": PUBLIC}).json() == {"edit_url": None, "label": None}


@pytest.mark.parametrize(
    "path", ["/conditions/no-such-page/", "/conditions/", "/nowhere/at/all/", ""]
)
def test_a_path_that_is_no_live_page_gets_no_link(published, editor, path):
    assert signed_in(editor).get(ENDPOINT, {"path": path}).json()["edit_url"] is None


def test_staff_who_may_not_change_pages_get_no_link(published):
    viewer = make_user("vic")  # staff, in no group: no permission to change conditions
    assert signed_in(viewer).get(ENDPOINT, {"path": PUBLIC}).json()["edit_url"] is None


def test_the_hint_cookie_follows_the_admin_session(editor):
    client = signed_in(editor)
    assert client.get("/admin/").cookies[STAFF_HINT_COOKIE].value == "1"
    cleared = client.post("/admin/logout/").cookies[STAFF_HINT_COOKIE]
    assert cleared.value == ""
    assert cleared["max-age"] == 0  # deleted as they sign out
    # A stale hint on a reader's browser is cleared by the endpoint's "no".
    reader = Client()
    reader.cookies[STAFF_HINT_COOKIE] = "1"
    assert reader.get(ENDPOINT, {"path": PUBLIC}).cookies[STAFF_HINT_COOKIE].value == ""


SPANISH = "/es/conditions/test-condition/"


@pytest.fixture
def spanish(editor, physician_user, publisher):
    translation = translated_page(
        english_page(editor, physician_user, publisher), translator_user()
    )
    workflow.sign_off(translation, spanish_physician(), PASSWORD)
    workflow.publish(translation, publisher)
    return translation


def test_the_spanish_page_is_the_same_for_everyone_and_loads_the_script(spanish):
    anonymous = Client().get(SPANISH)
    staff = signed_in(spanish.translator).get(SPANISH)
    assert anonymous.status_code == 200
    assert anonymous.content == staff.content
    html = anonymous.content.decode()
    assert 'src="/static/site/edit-link.js"' in html
    assert f'data-endpoint="{ENDPOINT}"' in html
    assert "/admin/" not in html


def test_a_spanish_address_names_the_translations_change_screen(spanish, editor):
    translator = spanish.translator
    change = f"/admin/translations/translation/{spanish.pk}/change/"
    answer = signed_in(translator).get(ENDPOINT, {"path": SPANISH})
    assert answer.json() == {"edit_url": change, "label": "Edit this page"}
    # Editors only view translations: no link for them on the Spanish page, theirs on the English.
    assert signed_in(editor).get(ENDPOINT, {"path": SPANISH}).json()["edit_url"] is None
    english = signed_in(editor).get(ENDPOINT, {"path": PUBLIC}).json()["edit_url"]
    assert english == f"/admin/conditions/condition/{spanish.english.pk}/change/"
    for elsewhere in ("/es/conditions/", "/es/conditions/test-condition/history/"):
        assert signed_in(translator).get(ENDPOINT, {"path": elsewhere}).json()["edit_url"] is None


def test_an_editorial_statement_names_its_change_screen(editor, physician_user, publisher):
    page = statement(editor, physician_user, publisher)
    html = Client().get("/about/editorial-policy/").content.decode()
    assert 'src="/static/site/edit-link.js"' in html
    answer = signed_in(editor).get(ENDPOINT, {"path": "/about/editorial-policy/"})
    assert answer.json()["edit_url"] == f"/admin/editorial/editorialpage/{page.pk}/change/"
