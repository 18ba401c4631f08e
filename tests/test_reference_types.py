"""Reference types and author lists as they are: each type has its own required fields and its
own AMA 11th edition format, and “et al.” is kept and shown in the document, on the public
page and in the API."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from conditions.documents import build_condition_document
from references.formatting import ama_citation, reference_entry
from references.models import Reference
from tests.conftest import publish_page

SIX = "Murrough JW, Iosifescu DV, Chang LC, Al Jurdi RK, Green CE, Perez AM"
MURROUGH_AMA = (
    "Murrough JW, Iosifescu DV, Chang LC, et al. Antidepressant efficacy of ketamine in "
    "treatment-resistant major depression: a two-site randomized controlled trial. Am J "
    "Psychiatry. 2013;170(10):1134-1142. doi:10.1176/appi.ajp.2013.13030392"
)


def murrough(**fields) -> Reference:
    defaults = {
        "citekey": "murrough2013",
        "authors": SIX,
        "et_al": True,
        "title": "Antidepressant efficacy of ketamine in treatment-resistant major depression: "
        "a two-site randomized controlled trial",
        "journal": "Am J Psychiatry",
        "year": 2013,
        "volume": "170",
        "issue": "10",
        "pages": "1134-1142",
        "doi": "10.1176/appi.ajp.2013.13030392",
        "pmid": "23982301",
    }
    return Reference(**{**defaults, **fields})


BOOK = {
    "kind": "book",
    "authors": "American Psychiatric Association",
    "title": "Diagnostic and Statistical Manual of Mental Disorders",
    "edition": "5th",
    "publisher": "American Psychiatric Publishing",
    "year": 2013,
}
CHAPTER = {
    "kind": "chapter",
    "authors": "Simpson HB, Foa EB",
    "title": "Exposure and ritual prevention for obsessive-compulsive disorder",
    "editors": "Abramowitz JS, McKay D, Storch EA",
    "book_title": "The Wiley Handbook of Obsessive Compulsive Disorders",
    "publisher": "Wiley-Blackwell",
    "year": 2017,
    "pages": "345-362",
}
THESIS = {
    "kind": "thesis",
    "authors": "Broström J",
    "title": "Ketamine for depression: the role of dissociative effects",
    "year": 2020,
    "url": "http://urn.kb.se/resolve?urn=urn:nbn:se:his:diva-18594",
    "accessed": datetime.date(2020, 11, 15),
}
WEB = {
    "kind": "web",
    "title": "Obsessive-compulsive disorder",
    "publisher": "National Institute of Mental Health",
    "year": 2022,
    "url": "https://www.nimh.nih.gov/health/topics/obsessive-compulsive-disorder-ocd",
    "accessed": datetime.date(2024, 11, 15),
}


@pytest.mark.parametrize(
    ("fields", "citation"),
    [
        (
            BOOK,
            "American Psychiatric Association. Diagnostic and Statistical Manual of Mental "
            "Disorders. 5th ed. American Psychiatric Publishing; 2013.",
        ),
        (
            CHAPTER,
            "Simpson HB, Foa EB. Exposure and ritual prevention for obsessive-compulsive "
            "disorder. In: Abramowitz JS, McKay D, Storch EA, eds. The Wiley Handbook of "
            "Obsessive Compulsive Disorders. Wiley-Blackwell; 2017:345-362.",
        ),
        (
            THESIS,
            "Broström J. Ketamine for depression: the role of dissociative effects. Thesis. "
            "2020. Accessed November 15, 2020. "
            "http://urn.kb.se/resolve?urn=urn:nbn:se:his:diva-18594",
        ),
        (
            {**THESIS, "publisher": "University of Skövde", "url": "", "accessed": None},
            "Broström J. Ketamine for depression: the role of dissociative effects. Thesis. "
            "University of Skövde; 2020.",
        ),
        (
            WEB,
            "Obsessive-compulsive disorder. National Institute of Mental Health. Published "
            "2022. Accessed November 15, 2024. "
            "https://www.nimh.nih.gov/health/topics/obsessive-compulsive-disorder-ocd",
        ),
    ],
    ids=["book", "chapter", "thesis online", "thesis", "web page"],
)
def test_each_type_is_cited_in_its_ama_format(fields, citation):
    """AMA 11: a book's edition and publisher; a chapter's editors, book and pages; a
    thesis's university; a web page's site and access date, then its address."""
    assert ama_citation(Reference(citekey="x", **fields)) == citation


def test_et_al_after_the_listed_authors_gives_the_first_three_and_et_al():
    """Six listed authors of a twelve-author paper are not the whole list: AMA writes three."""
    assert ama_citation(murrough()) == MURROUGH_AMA


def test_a_complete_list_of_six_authors_is_written_in_full():
    """Without et al., six authors are all of them, and AMA lists all six."""
    assert ama_citation(murrough(et_al=False)).startswith(f"{SIX}. Antidepressant")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "article", "journal": ""}, "journal", "A journal article needs this field."),
        ({**BOOK, "publisher": ""}, "publisher", "A book needs this field."),
        ({**CHAPTER, "book_title": ""}, "book_title", "A book chapter needs this field."),
        (
            {**THESIS, "url": "", "publisher": ""},
            "publisher",
            "A thesis needs its university, or the URL it is read at.",
        ),
        ({**WEB, "accessed": None}, "accessed", "A web page needs this field."),
        ({**WEB, "url": ""}, "url", "A web page needs this field."),
        ({**BOOK, "authors": ""}, "authors", "A book needs its authors"),
    ],
    ids=["article", "book", "chapter", "thesis", "web date", "web url", "authors"],
)
@pytest.mark.django_db
def test_each_type_requires_its_own_fields(fields, field, message):
    """full_clean names the missing field of that type, with what to enter."""
    reference = murrough(**{"pmid": "", "doi": "", **fields})
    with pytest.raises(ValidationError) as error:
        reference.full_clean()
    assert message in " ".join(error.value.message_dict[field])


@pytest.mark.django_db
@pytest.mark.parametrize("fields", [BOOK, CHAPTER, THESIS, WEB], ids=lambda f: f["kind"])
def test_each_type_with_its_fields_is_valid_without_a_journal(fields):
    """Only a journal article needs a journal; a web page needs no author."""
    reference = Reference(citekey="x2020", **fields)
    reference.full_clean()
    reference.save()
    assert Reference.objects.get(citekey="x2020").kind == fields["kind"]


@pytest.mark.django_db
def test_the_document_carries_the_type_et_al_and_the_online_fields():
    """The reference's dict in the document holds every source field, so the digest covers
    them: type, et al., publisher, book, editors, edition, address and access date."""
    entry = reference_entry(Reference(citekey="brostrom2020", **THESIS), 1)
    assert (entry["kind"], entry["et_al"], entry["url"], entry["accessed"]) == (
        "thesis",
        False,
        THESIS["url"],
        "2020-11-15",
    )
    assert {"publisher", "book_title", "editors", "edition", "source_name"} <= set(entry)
    assert reference_entry(murrough(), 1)["short_authors"] == "Murrough JW et al."


@pytest.fixture
def live_murrough(editor, physician_user, publisher):
    murrough().save()
    Reference.objects.create(citekey="brostrom2020", **THESIS)
    return publish_page(
        editor,
        physician_user,
        publisher,
        "depression",
        clinical_definition="Ketamine works [@murrough2013], with dissociation [@brostrom2020].",
    )


def test_the_document_shows_et_al_in_the_citation(live_murrough):
    """The document's citation of a twelve-author paper ends its author list with et al."""
    [first, _] = build_condition_document(live_murrough)["references"]
    assert first["et_al"] is True
    assert first["formatted"] == MURROUGH_AMA


def test_the_public_page_shows_et_al_and_the_thesis(client, live_murrough):
    """The page lists three authors and et al., never six as if they were all."""
    html = client.get("/conditions/depression/").content.decode()
    assert "Murrough JW, Iosifescu DV, Chang LC, et al. Antidepressant efficacy" in html
    assert "Chang LC, Al Jurdi RK" not in html
    assert "Broström J. Ketamine for depression: the role of dissociative effects. Thesis." in html


def test_the_api_shows_et_al_and_the_type(api, live_murrough):
    """The partner API's reference has et_al, the type and the AMA citation with et al."""
    body = api.get("/api/v1/conditions/depression/").json()
    murrough_entry, thesis = body["references"]
    assert (murrough_entry["et_al"], murrough_entry["kind"]) == (True, "article")
    assert murrough_entry["formatted"] == MURROUGH_AMA
    assert (thesis["kind"], thesis["journal"], thesis["accessed"]) == ("thesis", "", "2020-11-15")


@pytest.mark.django_db
def test_changing_et_al_changes_what_the_physician_signs(live_murrough):
    """et al. is part of the document, so unticking it changes the page's digest."""
    from reviews.digest import document_digest

    before = document_digest(build_condition_document(live_murrough))
    Reference.objects.filter(citekey="murrough2013").update(et_al=False)
    assert document_digest(build_condition_document(live_murrough)) != before
