"""Every public answer names the surrogate keys an edge cache purges it by."""

import pytest

from tests.conftest import make_reference
from tests.library import publish_condition, treatment


@pytest.fixture
def page(editor, physician_user, publisher):
    make_reference("rodriguez2013")
    ketamine = treatment("ketamine-infusion", "Ketamine infusion", summary="Ketamine by IV.")
    return publish_condition(
        (editor, physician_user, publisher),
        "ocd",
        "Obsessive-Compulsive Disorder",
        clinical_definition="Intrusive thoughts [@rodriguez2013].",
        treatments=[(ketamine, "escalation")],
    )


def keys(response) -> list[str]:
    return response["Surrogate-Key"].split()


def test_a_page_names_itself_its_publication_reference_reviewer_treatment_and_language(
    client, page, physician
):
    """The page's keys: page, publication, each cited reference, reviewer, treatments, language."""
    response = client.get("/conditions/ocd/")
    live = page_publication(page)
    assert set(keys(response)) == {
        "site",
        f"condition-{page.pk}",
        f"publication-{live.pk}",
        "ref-rodriguez2013",
        f"reviewer-{physician.slug}",
        "treatment-ketamine-infusion",
        "lang-en",
    }


def test_cache_tag_carries_the_same_keys_comma_separated(client, page):
    """Cloudflare's Cache-Tag lists exactly the Surrogate-Key words."""
    response = client.get("/conditions/ocd/")
    assert response["Cache-Tag"].split(",") == keys(response)


def test_the_history_and_the_api_detail_carry_the_page_keys(client, api, page):
    """Every answer made from the publication is purged with it."""
    page_keys = set(keys(client.get("/conditions/ocd/")))
    assert set(keys(client.get("/conditions/ocd/history/"))) == page_keys
    assert set(keys(api.get("/api/v1/conditions/ocd/"))) == page_keys


def test_listings_carry_the_listings_key_and_their_own(client, api, page, physician):
    """Index, treatment and reviewer pages, search, sitemap, feed and API lists: listings."""
    expected = {
        "/": "index",
        "/conditions/": "index",
        "/treatments/ketamine-infusion/": "treatment-ketamine-infusion",
        f"/reviewers/{physician.slug}/": f"reviewer-{physician.slug}",
        "/search/?q=obsessive": "search",
        "/sitemap.xml": "sitemap",
        "/feeds/reviewed.atom": "feed",
        "/api/v1/conditions/": "api-list",
        "/api/v1/manifest/": "manifest",
    }
    for url, own in expected.items():
        response = api.get(url)
        assert response.status_code == 200, url
        assert keys(response) == ["site", "listings", own], url


def test_a_page_published_before_keys_were_stored_reads_them_from_its_publication(client, page):
    """Without a stored key set, the keys come from the publication's document."""
    from django.core.cache import cache

    from purges import surrogate_keys
    from purges.models import SurrogateKeySet

    before = set(keys(client.get("/conditions/ocd/")))
    SurrogateKeySet.objects.all().delete()
    surrogate_keys.forget()
    cache.clear()
    assert set(keys(client.get("/conditions/ocd/"))) == before


def test_the_admin_and_a_missing_page_carry_no_page_keys(admin_client, client, page):
    """The admin names no keys; a 404 is purged with every change to the library."""
    assert "Surrogate-Key" not in admin_client.get("/admin/")
    assert keys(client.get("/conditions/nothing-here/")) == ["site", "listings"]


def page_publication(page):
    from reviews.models import LivePublication

    return LivePublication.objects.get(object_id=page.pk).publication
