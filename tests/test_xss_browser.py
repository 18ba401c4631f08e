"""The corpus in a real browser: a page built from every payload runs no script at all.

The Content-Security-Policy is taken off for this test, so the sanitizer alone is on trial.
"""

import pytest

from reviews import workflow
from tests.browser import chromium
from tests.conftest import PASSWORD, make_user
from tests.test_xss import hostile_page
from tests.xss import CORPUS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Every way the corpus calls for attention ends here.
TRAP = """
window.__ran = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__ran.push(name + ":" + args.join(",")); };
}
"""


def test_a_page_built_from_the_whole_corpus_runs_no_script(live_server, settings):
    from reviews.models import Physician

    settings.CONTENT_SECURITY_POLICY = None
    editor = make_user("edna", "Editors")
    doctor = make_user("dr.house", "Physicians")
    Physician.objects.create(user=doctor, display_name="Gregory House", credentials="MD")
    publisher = make_user("pat", "Publishers")
    page_obj = hostile_page(0, "\n\n".join(CORPUS), editor)
    workflow.sign_off(page_obj, doctor, PASSWORD)
    workflow.publish(page_obj, publisher)

    with chromium() as browser:
        context = browser.new_context()
        context.add_init_script(TRAP)
        dialogs = []
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        response = page.goto(f"{live_server.url}/conditions/hostile-0/")
        assert response.status == 200
        assert "content-security-policy" not in response.headers
        # Give handlers that fire on load, focus or toggle their chance, then hover and
        # click every link the way a curious reader would.
        page.wait_for_timeout(300)
        for link in page.locator("main a").all()[:60]:
            link.hover()
        ran = page.evaluate("window.__ran")
        title = page.title()
    assert ran == []
    assert dialogs == []
    assert title.startswith("Hostile 0")
