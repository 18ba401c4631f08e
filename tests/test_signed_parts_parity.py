"""What a physician signs is what each rendering shows: every part of the signed source is on
the review screen, on the public page and in the API's detail."""

import pytest
from django.urls import reverse

from conditions.demo_content import load_statements
from conditions.models import Condition
from editorial.models import EditorialPage
from reviews.digest import source_of
from reviews.models import Physician
from tests import signed_parts

DEMO_SLUG = "treatment-resistant-ocd"


def unshown_on_the_public_page(path, source) -> bool:
    """What the public page leaves out by design: a reference's citekey, the name editors cite
    it by (readers see its number), and a code for lookup only, which partners' systems find the
    page by and the page's codes line leaves out."""
    if path[0] == "references" and path[-1] == "citekey":
        return True
    return path[0] == "codes" and bool(source["codes"][path[1]].get("lookup_only"))


def physician_of_the_demo():
    return Physician.objects.get().user


def review_screen(client, user, page) -> str:
    """The changes column of the review screen: the parts the physician reads before signing."""
    client.force_login(user)
    opts = page._meta
    html = client.get(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_review", args=[page.pk])
    ).content.decode()
    changes = html.split('<div class="review-changes">', 1)[1].split("<aside", 1)[0]
    return signed_parts.html_text(changes)


@pytest.fixture
def demo_page(demo):
    return Condition.objects.get(slug=DEMO_SLUG)


@pytest.fixture
def statement(demo):
    load_statements()
    return EditorialPage.objects.get(slug="editorial-policy")


def renderings_of_the_demo_page(client, api, page) -> dict:
    """Each rendering's text, with how the check reads it."""
    public = client.get(reverse("conditions:detail", kwargs={"slug": page.slug}))
    detail = api.get(reverse("api:condition-detail", kwargs={"slug": page.slug}))
    return {
        "review screen": (review_screen(client, physician_of_the_demo(), page), {}),
        "public page": (
            signed_parts.html_text(public.content.decode()),
            {"unshown": unshown_on_the_public_page},
        ),
        "API detail": (signed_parts.json_text(detail.content), {"codes": True}),
    }


def missing_from_each(source, renderings) -> dict:
    return {
        name: signed_parts.missing(source, text, **how) for name, (text, how) in renderings.items()
    }


def test_every_signed_part_of_a_condition_page_is_in_every_rendering(client, api, demo_page):
    """Each key and list item of the demo page's source is on the review screen, the public
    page and the API detail."""
    renderings = renderings_of_the_demo_page(client, api, demo_page)
    assert missing_from_each(source_of(demo_page), renderings) == {name: [] for name in renderings}


def test_every_signed_part_of_an_editorial_statement_is_on_its_review_screen_and_page(
    client, statement
):
    """An editorial statement's source (title, summary, each section) is on its review screen
    and its public page; statements are not syndicated, so there is no API detail to check."""
    public = client.get(reverse("editorial:policy")).content.decode()
    renderings = {
        "review screen": (review_screen(client, physician_of_the_demo(), statement), {}),
        "public page": (signed_parts.html_text(public), {}),
    }
    assert missing_from_each(source_of(statement), renderings) == {name: [] for name in renderings}


def test_a_rendering_without_any_one_part_is_caught(client, api, demo_page):
    """The check names each part a rendering lacks: with the words of any one part taken out
    of any of the three renderings, that part is reported."""
    source = source_of(demo_page)
    for name, (text, how) in renderings_of_the_demo_page(client, api, demo_page).items():
        for path, value in signed_parts.parts(source):
            shown = signed_parts.words(signed_parts.shown_as(path, value, **how))
            unshown = how.get("unshown")
            if path in signed_parts.ABOUT_THE_SOURCE or (unshown and unshown(path, source)):
                continue
            if not shown.strip():
                continue
            without = signed_parts.words(text)
            while shown in without:
                without = without.replace(shown, " ")
            label = "/".join(map(str, path))
            assert label in signed_parts.missing(source, without, **how), (name, label)
