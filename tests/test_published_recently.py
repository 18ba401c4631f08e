"""The publisher's home keeps the pages that went live in the last PUBLISHED_RECENTLY_DAYS days:
newest first, with who published them, and says when one is no longer the live version."""

from datetime import timedelta

from reviews import clock, workflow
from tests.admin_http import AdminBrowser
from tests.conftest import make_user, publish_page


def section(html) -> str:
    start = html.index('id="inbox-published-recently"')
    return html[start : html.index("</section>", start)]


def test_pages_published_in_the_last_days_newest_first_with_who_published_them(
    editor, physician_user, publisher, settings
):
    settings.PUBLISHED_RECENTLY_DAYS = 7
    second = make_user("quinn", "Publishers", first_name="Quinn", last_name="Ames")
    with clock.frozen_at(clock.now() - timedelta(days=8)):
        publish_page(editor, physician_user, publisher, "long-ago")
    with clock.frozen_at(clock.now() - timedelta(days=2)):
        older = publish_page(editor, physician_user, publisher, "older-one")
    with clock.frozen_at(clock.now() - timedelta(hours=1)):
        publish_page(editor, physician_user, second, "newer-one")
    workflow.unpublish(older, publisher, "Withdrawn.")

    box = section(AdminBrowser(publisher).get("/admin/").content.decode())

    assert "Published recently (2)" in box
    assert "Long Ago" not in box  # eight days ago: past the window
    assert box.index("Newer One") < box.index("Older One")
    assert "by Quinn Ames" in box
    assert "by pat" in box
    assert "Older One</a> — published" in box
    assert "(no longer the live version)" in box


def test_the_window_is_the_setting_and_only_publishers_see_the_list(
    editor, physician_user, publisher, settings
):
    with clock.frozen_at(clock.now() - timedelta(days=3)):
        publish_page(editor, physician_user, publisher, "three-days")
    settings.PUBLISHED_RECENTLY_DAYS = 2
    box = section(AdminBrowser(publisher).get("/admin/").content.decode())
    assert "Nothing was published in the last 2 days." in box
    settings.PUBLISHED_RECENTLY_DAYS = 4
    assert "Three Days" in section(AdminBrowser(publisher).get("/admin/").content.decode())
    editors_home = AdminBrowser(editor).get("/admin/").content.decode()
    assert 'id="inbox-published-recently"' not in editors_home
