"""Live Spanish pages follow what they show beside their signed text, with no rebuild_library:
a physician's changed Spanish honorific (Dr./Dra.) and the footer's links to the editorial
statements in Spanish. Each change renders the stored pages again, gives them a new ETag and
purges them by key and by address."""

import pytest

from purges.models import Purge
from reviews import read_side, workflow
from reviews.models import Physician
from tests.conftest import PASSWORD
from tests.pagetext import visible_text
from tests.test_translation_reader import sitemap_urls
from tests.test_translation_statements import IN_SPANISH, statement
from tests.translating import english_page, spanish_physician, translated_page, translator_user
from translations import editing
from translations.models import Translation

URL = "/es/conditions/test-condition/"
POLICY_ES = '<a href="/es/about/editorial-policy/">Política editorial</a>'
POLICY_EN = '<a href="/about/editorial-policy/" hreflang="en" lang="en">Editorial policy</a>'
DISCLOSURES_EN = '<a href="/about/disclosures/" hreflang="en" lang="en">Disclosures</a>'


@pytest.fixture
def spanish(editor, physician_user, publisher):
    english = english_page(editor, physician_user, publisher)
    translation = translated_page(english, translator_user())
    workflow.sign_off(translation, spanish_physician(), PASSWORD)
    workflow.publish(translation, publisher)
    return translation


def footer(client, address) -> str:
    return client.get(address).content.decode().split('<footer class="site-footer">')[1]


def test_a_changed_honorific_shows_on_the_live_spanish_pages_at_once(
    client, spanish, django_capture_on_commit_callbacks
):
    """The page, its JSON-LD reviewer and the Spanish index say "Dra." after the profile is
    saved; a browser's copy is not revalidated; the English page keeps "Dr."; the read side
    proves clean without rebuild_library; the page is purged by key and address."""
    before = client.get(URL)
    client.get("/es/conditions/")
    assert "Revisado por Dr. Lucía" in visible_text(before.content.decode())
    english_before = client.get("/conditions/test-condition/")

    physician = Physician.objects.get(display_name="Lucía García Demo")
    physician.spanish_honorific = "Dra."
    with django_capture_on_commit_callbacks(execute=True):
        physician.save()

    after = client.get(URL, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    html = after.content.decode()
    assert "Revisado por Dra. Lucía García Demo, MD el " in visible_text(html)
    assert "Dr. Lucía" not in html
    assert '"name": "Dra. Lucía García Demo, MD"' in html
    assert "Revisado por Dra. Lucía García Demo, MD el " in visible_text(
        client.get("/es/conditions/").content.decode()
    )
    english = client.get("/conditions/test-condition/", HTTP_IF_NONE_MATCH=english_before["ETag"])
    assert english.status_code == 304
    assert read_side.problems() == []

    purge = Purge.objects.filter(reason=Purge.Reason.REVIEWER, paths__contains=URL).get()
    assert f"translation-{spanish.pk}" in purge.keys.split()


def test_saving_a_profile_without_a_new_honorific_renders_nothing_again(client, spanish):
    before = client.get(URL)
    physician = Physician.objects.get(display_name="Lucía García Demo")
    physician.credentials = "MD, PhD"
    physician.save()
    assert client.get(URL, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    assert (
        not Purge.objects.filter(paths__contains=URL)
        .exclude(reason=Purge.Reason.PUBLISHED)
        .exists()
    )


def publish_spanish_policy(editor, physician_user, publisher) -> Translation:
    english = statement(editor, physician_user, publisher)
    translator = translator_user("teo")
    translation = editing.start_translation(english, "es", translator)
    for segment in translation.ordered_segments():
        editing.write_segment(segment, IN_SPANISH[segment.label], translator)
    workflow.sign_off(translation, spanish_physician("dr.ruiz", "Ana Ruiz Demo"), PASSWORD)
    workflow.publish(translation, publisher)
    return translation


def test_the_spanish_footer_links_each_statement_in_spanish_once_it_is_live(
    client, spanish, editor, physician_user, publisher, django_capture_on_commit_callbacks
):
    """Until a statement is live in Spanish the footer leads to the English one, marked as
    English; once it is, the stored Spanish page leads to the Spanish statement (a new ETag, a
    purge of the page), and back to the English when it comes down. Index and search too."""
    before = client.get(URL)
    assert POLICY_EN in footer(client, URL)
    assert DISCLOSURES_EN in footer(client, URL)

    with django_capture_on_commit_callbacks(execute=True):
        policy = publish_spanish_policy(editor, physician_user, publisher)

    for address in (URL, "/es/conditions/", "/es/search/?q=prueba", "/es/about/editorial-policy/"):
        assert POLICY_ES in footer(client, address), address
        assert POLICY_EN not in footer(client, address), address
        assert DISCLOSURES_EN in footer(client, address), address
    assert client.get(URL, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 200
    purge = Purge.objects.filter(reason=Purge.Reason.ALONGSIDE, paths__contains=URL).get()
    assert f"translation-{spanish.pk}" in purge.keys.split()
    assert read_side.problems() == []

    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(policy, publisher, "Being revised.")
    assert POLICY_EN in footer(client, URL)
    assert POLICY_ES not in footer(client, URL)
    assert read_side.problems() == []


def test_english_pages_keep_their_footer(client, spanish, editor, physician_user, publisher):
    publish_spanish_policy(editor, physician_user, publisher)
    english = footer(client, "/conditions/test-condition/")
    assert '<a href="/about/editorial-policy/">Editorial policy</a>' in english
    assert "/es/about/" not in english


def test_spanish_answers_carry_surrogate_keys(client, spanish):
    """The Spanish page names its own keys (its reviewer's among them); the Spanish index and
    search are listings, purged with every publish."""
    page = client.get(URL)["Surrogate-Key"].split()
    assert f"translation-{spanish.pk}" in page
    assert any(key.startswith("reviewer-") for key in page)
    assert "lang-es" in page
    assert "listings" in client.get("/es/conditions/")["Surrogate-Key"].split()
    assert "listings" in client.get("/es/search/?q=prueba")["Surrogate-Key"].split()


def test_a_spanish_page_coming_down_is_purged_at_its_own_address(
    client, spanish, publisher, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(spanish, publisher, "Being revised.")
    purge = Purge.objects.filter(reason=Purge.Reason.WITHDRAWN, object_id=spanish.pk).get()
    paths = purge.paths.splitlines()
    assert URL in paths
    assert "/es/conditions/" in paths
    assert "/about/editorial-policy/" not in paths


def test_the_sitemap_lists_a_spanish_statement_with_its_english_both_ways(
    client, editor, physician_user, publisher
):
    publish_spanish_policy(editor, physician_user, publisher)
    urls = {loc: links for loc, _, links in sitemap_urls(client)}
    origin = "http://testserver"
    both = {
        "en": f"{origin}/about/editorial-policy/",
        "es": f"{origin}/es/about/editorial-policy/",
        "x-default": f"{origin}/about/editorial-policy/",
    }
    assert urls[f"{origin}/es/about/editorial-policy/"] == both
    assert urls[f"{origin}/about/editorial-policy/"] == both
    assert f"{origin}/es/conditions/" not in urls  # it lists no condition page yet
