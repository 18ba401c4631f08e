"""The read side proves itself: verify_library names every served row changed by SQL, and
rebuild_library repairs it.

Each test changes one thing the way someone with database access could (a plain SQL UPDATE),
shows that readers are served the change, then that verify_library names it and that after
rebuild_library readers get the published page again and the library verifies.
"""

import io

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from conditions.pages import DETAIL_TEMPLATE
from conditions.read_model import SearchEntry
from publishing.models import PageRendering
from publishing.page_cache import memory_pages
from publishing.pointers import recent_pointers
from reviews import workflow
from reviews.models import LivePublication, Publication, ReviewEvent
from tests.conftest import PASSWORD, edit
from tests.test_verify_library import verify

TAMPERED = "Stop your SSRIs today."


@pytest.fixture
def page(published, editor, physician_user, publisher):
    """A page published twice: the older publication is still on record."""
    edit(published, editor, summary="The corrected summary.")
    workflow.submit_for_review(published, editor)
    workflow.sign_off(published, physician_user, PASSWORD)
    workflow.publish(published, publisher)
    return published


def sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def table(model):
    return connection.ops.quote_name(model._meta.db_table)


def served(client, url, **headers) -> str:
    """What a reader gets now, past every cache."""
    cache.clear()
    memory_pages.clear()
    recent_pointers.clear()
    return client.get(url, headers=headers).content.decode()


def live(page) -> Publication:
    return LivePublication.objects.get(object_id=page.pk).publication


def rendering(page, template, version):
    return PageRendering.objects.get(publication=live(page), template=template, version=version)


def rebuild() -> str:
    out = io.StringIO()
    call_command("rebuild_library", stdout=out)
    return out.getvalue()


def test_an_sql_update_of_a_stored_page_is_named_and_rendered_again(page, client, capsys):
    """The stored HTML served to readers, altered by SQL."""
    stored = rendering(page, DETAIL_TEMPLATE, django_settings.PAGE_CACHE_VERSION)
    sql(
        f"UPDATE {table(PageRendering)} SET html = REPLACE(html, %s, %s) WHERE id = %s",  # noqa: S608
        ["The corrected summary.", TAMPERED, stored.pk],
    )
    assert TAMPERED in served(client, f"/conditions/{page.slug}/")

    ok, output = verify(capsys)

    assert not ok
    assert f"stored HTML (conditions/detail.html) (page rendering {stored.pk})" in output
    assert f"not what publication {stored.publication_id} renders to" in output
    assert "rendered again" in rebuild()
    assert TAMPERED not in served(client, f"/conditions/{page.slug}/")
    assert verify(capsys)[0]


def test_an_sql_update_of_the_stored_api_json_is_named_and_rendered_again(
    page, client, partner_key, capsys
):
    """The JSON partners are served, altered by SQL."""
    url = f"/api/v1/conditions/{page.slug}/"
    served(client, url, x_api_key=partner_key)
    stored = PageRendering.objects.get(publication=live(page), template="api/condition.json")
    sql(
        f"UPDATE {table(PageRendering)} SET html = REPLACE(html, %s, %s) WHERE id = %s",  # noqa: S608
        ["The corrected summary.", TAMPERED, stored.pk],
    )
    assert TAMPERED in served(client, url, x_api_key=partner_key)

    ok, output = verify(capsys)

    assert not ok
    assert f"stored API JSON (api/condition.json) (page rendering {stored.pk})" in output
    rebuild()
    assert TAMPERED not in served(client, url, x_api_key=partner_key)
    assert verify(capsys)[0]


def test_an_sql_update_of_a_search_row_is_named_and_written_again(page, client, capsys):
    """The summary search and listings show, altered by SQL."""
    sql(
        f"UPDATE {table(SearchEntry)} SET summary = %s WHERE condition_id = %s",  # noqa: S608
        [TAMPERED, page.pk],
    )
    assert TAMPERED in served(client, "/conditions/")

    ok, output = verify(capsys)

    assert not ok
    assert f"Page “{page.title}” ({page.slug}): its search row's summary is not what" in output
    rebuild()
    assert TAMPERED not in served(client, "/conditions/")
    assert SearchEntry.objects.get(condition=page).summary == "The corrected summary."
    assert verify(capsys)[0]


def test_a_live_pointer_rolled_back_to_an_older_publication_is_named_and_put_back(
    page, client, capsys
):
    """The old text goes live under its old, valid signature: only the chain tells."""
    newest = live(page)
    older = Publication.objects.filter(object_id=page.pk).exclude(pk=newest.pk).get()
    sql(
        f"UPDATE {table(LivePublication)} SET publication_id = %s WHERE object_id = %s",  # noqa: S608
        [older.pk, page.pk],
    )
    assert "The corrected summary." not in served(client, f"/conditions/{page.slug}/")

    ok, output = verify(capsys)

    assert not ok
    assert f"its live pointer shows publication {older.pk}" in output
    assert f"put publication {newest.pk} live" in output
    assert "rolled back to an older one" in output
    assert f"shows publication {newest.pk} again" in rebuild()
    assert "The corrected summary." in served(client, f"/conditions/{page.slug}/")
    assert live(page) == newest
    assert verify(capsys)[0]


def test_a_pointer_set_by_sql_for_an_unpublished_page_is_named_and_taken_down(
    page, publisher, client, capsys
):
    """Unpublishing is on the chain; a pointer put back by SQL is not."""
    newest = live(page)
    workflow.unpublish(page, publisher, "Withdrawn for review.")
    LivePublication.objects.create(
        content_type=newest.content_type,
        object_id=page.pk,
        slug=newest.slug,
        publication=newest,
        live_since=newest.published_at,
    )

    ok, output = verify(capsys)

    assert not ok
    assert "the chain records no publication live (unpublished)" in output
    assert "taken off the site" in rebuild()
    assert not LivePublication.objects.filter(object_id=page.pk).exists()
    served(client, "/")
    assert client.get(f"/conditions/{page.slug}/").status_code == 404
    assert verify(capsys)[0]


def test_every_pointer_move_is_an_event_on_the_chain(page, publisher, physician_user, capsys):
    """Publish, unpublish and publish again: each move recorded, and the library verifies."""
    moves = [ReviewEvent.Kind.PUBLISHED, ReviewEvent.Kind.UNPUBLISHED]
    workflow.unpublish(page, publisher, "A pause.")
    workflow.publish(page, publisher)

    recorded = list(
        ReviewEvent.objects.filter(object_id=page.pk, kind__in=moves)
        .order_by("pk")
        .values_list("kind", flat=True)
    )

    assert recorded == ["published", "published", "unpublished", "published"]
    assert verify(capsys)[0]


def test_an_sql_update_of_an_editorial_statement_is_named_and_rendered_again(
    client, editor, physician_user, publisher, capsys
):
    """Every registered kind's stored renderings are proven, not only condition pages'."""
    import reversion
    from django.urls import reverse

    from editorial.models import EditorialPage

    with reversion.create_revision():
        reversion.set_user(editor)
        statement = EditorialPage.objects.create(
            slug="editorial-policy",
            title="Editorial policy",
            summary="How we work.",
            body="## Review\n\nEvery page is signed.",
        )
    workflow.sign_off(statement, physician_user, PASSWORD)
    publication = workflow.publish(statement, publisher)
    url = reverse("editorial:policy")
    served(client, url)
    [stored] = PageRendering.objects.filter(publication=publication)
    sql(
        f"UPDATE {table(PageRendering)} SET html = REPLACE(html, %s, %s) WHERE id = %s",  # noqa: S608
        ["Every page is signed.", TAMPERED, stored.pk],
    )
    assert TAMPERED in served(client, url)

    ok, output = verify(capsys)

    assert not ok
    assert f"(page rendering {stored.pk})" in output
    assert "rendered again" in rebuild()
    assert TAMPERED not in served(client, url)
    assert verify(capsys)[0]
