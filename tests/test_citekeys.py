"""Citekeys: generated from the first author and year, renamed everywhere they are cited."""

import pytest
from django.core.exceptions import ValidationError
from reversion.models import Version

from conditions.models import FAQ, Comparison, Condition, KeyPoint
from references import usage
from references.citekeys import generate_citekey, rename_citekey
from references.models import Reference
from tests.conftest import PASSWORD, add_key_point, make_condition, make_reference


@pytest.mark.django_db
def test_a_citekey_is_the_first_authors_surname_and_the_year():
    """“Rodriguez CI”, 2013 gives rodriguez2013."""
    assert generate_citekey(["Rodriguez CI", "Kegeles LS"], 2013) == "rodriguez2013"


@pytest.mark.django_db
def test_a_clashing_citekey_takes_the_next_letter():
    """rodriguez2013 taken gives rodriguez2013a, then rodriguez2013b."""
    make_reference("rodriguez2013")
    assert generate_citekey(["Rodriguez CI"], 2013) == "rodriguez2013a"
    make_reference("rodriguez2013a")
    assert generate_citekey(["Rodriguez CI"], 2013) == "rodriguez2013b"


@pytest.mark.django_db
def test_keys_given_out_in_the_same_import_count_as_taken():
    """Two new references of one author and year in one import get distinct keys."""
    assert generate_citekey(["Bottemanne H"], 2021, {"bottemanne2021"}) == "bottemanne2021a"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("author", "key"),
    [
        ("Rosa-Alcázar AI", "rosaalcazar2008"),
        ("Broström J", "brostrom2008"),
        ("Kühne F", "kuhne2008"),
        ("Fernández de la Cruz L", "fernandezdelacruz2008"),
        ("Østergaard SD", "ostergaard2008"),
        ("O’Connor KE", "oconnor2008"),
    ],
)
def test_a_citekey_is_folded_to_ascii_letters(author, key):
    """Accents, hyphens, spaces and apostrophes leave plain lowercase letters."""
    assert generate_citekey([author], 2008) == key


@pytest.fixture
def cited(db):
    """bloch2012 cited on two pages, in page fields and in parts; bloch2012a cited beside it."""
    bloch, adams = make_reference("bloch2012"), make_reference("adams2017")
    make_reference("bloch2012a")
    first = make_condition(
        slug="first",
        clinical_definition="Defined [@bloch2012]. Also [@bloch2012a; @bloch2012].",
        ketamine_fit="Ketamine [@adams2017].",
    )
    add_key_point(first, "Fast relief [@bloch2012; @adams2017].")
    FAQ.objects.create(condition=first, question="Is it fast?", answer="Yes [@bloch2012].")
    second = make_condition(slug="second", title="Second Page")
    Comparison.objects.create(condition=second, name="OCD", text="Unlike OCD [@bloch2012].")
    for page in (first, second):
        page.attach_cited_references()
    return {"bloch": bloch, "adams": adams, "first": first, "second": second}


def test_renaming_a_citekey_rewrites_every_citation_of_it(cited):
    """Every [@bloch2012] on every page becomes [@blochmh2012]; other keys stay as they are."""
    rename_citekey(cited["bloch"], "blochmh2012")
    first = Condition.objects.get(slug="first")
    assert first.clinical_definition == "Defined [@blochmh2012]. Also [@bloch2012a; @blochmh2012]."
    assert first.ketamine_fit == "Ketamine [@adams2017]."
    assert KeyPoint.objects.get().text == "Fast relief [@blochmh2012; @adams2017]."
    assert FAQ.objects.get().answer == "Yes [@blochmh2012]."
    assert Comparison.objects.get().text == "Unlike OCD [@blochmh2012]."
    assert Reference.objects.get(pk=cited["bloch"].pk).citekey == "blochmh2012"


def test_after_a_rename_every_page_still_resolves_its_citations(cited):
    """The documents number the renamed reference as before, with nothing unresolved."""
    before = [entry["title"] for entry in cited["first"].build_document()["references"]]
    rename_citekey(cited["bloch"], "blochmh2012")
    document = cited["first"].build_document()
    assert document["unresolved_citations"] == []
    assert [entry["title"] for entry in document["references"]] == before
    assert document["references"][0]["citekey"] == "blochmh2012"


def test_a_rename_is_one_revision_holding_the_reference_and_every_page(cited, editor):
    """The reference and both pages it is cited on are versioned in one revision, by the user."""
    rename_citekey(cited["bloch"], "blochmh2012", user=editor)
    revision = Version.objects.get_for_object(cited["bloch"]).first().revision
    pages = {version.object for version in revision.version_set.all()}
    assert {cited["bloch"], cited["first"], cited["second"]} <= pages
    assert revision.user == editor
    assert revision.comment == "Renamed the citekey @bloch2012 to @blochmh2012, with its citations."


def test_renaming_returns_where_it_rewrote(cited):
    """The rename reports each page and field it changed."""
    rewritten = rename_citekey(cited["bloch"], "blochmh2012")
    assert sorted((citation.page, citation.field) for citation in rewritten) == [
        ("Second Page", "Comparison with a related condition “vs. OCD”, text"),
        ("Test Condition", "Clinical definition"),
        ("Test Condition", "Frequently asked question “Is it fast?”, answer"),
        ("Test Condition", "Key point “Fast relief [@blochmh2012; @adams2017].”, text"),
    ]


@pytest.mark.parametrize(
    ("new_key", "message"),
    [("adams2017", "Reference with this Citekey already exists."), ("2012bloch", "starts with")],
)
def test_a_rename_to_a_taken_or_malformed_key_is_refused_and_changes_nothing(
    cited, new_key, message
):
    """The error is on the citekey field, and no text or key changes."""
    with pytest.raises(ValidationError) as error:
        rename_citekey(cited["bloch"], new_key)
    assert message in error.value.message_dict["citekey"][0]
    assert Reference.objects.filter(citekey="bloch2012").exists()
    assert KeyPoint.objects.get().text == "Fast relief [@bloch2012; @adams2017]."


def test_a_rename_that_fails_while_rewriting_leaves_the_key_unchanged(cited, monkeypatch):
    """The rename is atomic: a failure in a page's rewrite keeps the old key everywhere."""

    def failing(old, new):
        Condition.objects.filter(slug="first").update(clinical_definition=f"[@{new}]")
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(usage, "rewrite_citekey", failing)
    with pytest.raises(RuntimeError):
        rename_citekey(cited["bloch"], "blochmh2012")
    assert Reference.objects.filter(citekey="bloch2012").exists()
    assert Condition.objects.get(slug="first").clinical_definition.startswith(
        "Defined [@bloch2012]"
    )


def test_renaming_in_the_admin_rewrites_the_pages(cited, client, editor):
    """Changing the citekey in the reference's change form renames it everywhere."""
    assert client.login(username=editor.username, password=PASSWORD)
    reference = cited["bloch"]
    data = {
        "citekey": "blochmh2012",
        "kind": "article",
        "authors": reference.authors,
        "title": reference.title,
        "journal": reference.journal,
        "year": reference.year,
        "retraction_notice": "",
    }
    response = client.post(f"/admin/references/reference/{reference.pk}/change/", data, follow=True)
    assert response.status_code == 200
    assert (
        "@bloch2012 is now @blochmh2012, rewritten in 4 texts of Second Page, Test Condition."
        in (response.content.decode())
    )
    assert FAQ.objects.get().answer == "Yes [@blochmh2012]."
