"""Citations in editor Markdown: parsing, page-wide numbering, rendering and validation."""

import pytest
from django.core.exceptions import ValidationError

from conditions.models import Condition, KeyPoint
from references.citations import CitationNumbering, citekeys_in
from tests.conftest import add_key_point, make_condition, make_reference


@pytest.fixture
def library(db):
    """Two references: adams2017 and bloch2012."""
    return {key: make_reference(key) for key in ("adams2017", "bloch2012")}


@pytest.fixture
def page(library):
    """A page whose key point cites bloch2012 before its definition cites adams2017."""
    condition = make_condition(
        clinical_definition="Defined in [@adams2017], refined in [@bloch2012]."
    )
    add_key_point(condition, "Ketamine can help [@bloch2012].")
    return condition


def test_citekeys_in_lists_keys_in_order_of_first_appearance_once_each():
    """Keys come back in reading order, each key once."""
    text = "See [@bloch2012], then [@adams2017; @bloch2012] and [@adams2017] again."
    assert citekeys_in(text) == ["bloch2012", "adams2017"]


@pytest.mark.parametrize(
    "text", ["[@adams2017; @hirschtritt2017]", "[ @adams2017 ;@hirschtritt2017 ]"]
)
def test_citekeys_in_reads_every_key_of_a_group(text):
    """A [@a; @b] group cites each of its keys, whatever the spacing."""
    assert citekeys_in(text) == ["adams2017", "hirschtritt2017"]


@pytest.mark.parametrize("text", ["", None, "Write to bloch@example.org.", "[see @adams2017]"])
def test_citekeys_in_ignores_text_without_citation_groups(text):
    """Addresses and bracketed prose that is not a citation group cite nothing."""
    assert citekeys_in(text) == []


def test_citation_numbering_numbers_keys_by_first_appearance_across_texts():
    """One numbering shared by several texts keeps each key's first number."""
    numbering = CitationNumbering({"adams2017", "bloch2012"})
    assert numbering.numbers_in("[@bloch2012]") == [1]
    assert numbering.numbers_in("[@adams2017; @bloch2012]") == [2, 1]
    assert numbering.numbers == {"bloch2012": 1, "adams2017": 2}


def test_the_document_numbers_references_by_first_appearance_on_the_page(page):
    """The key point's citation comes first, so bloch2012 is 1 and adams2017 is 2."""
    document = page.build_document()
    assert [(ref["number"], ref["citekey"]) for ref in document["references"]] == [
        (1, "bloch2012"),
        (2, "adams2017"),
    ]
    assert document["key_points"][0]["citations"] == [1]
    assert document["unresolved_citations"] == []


def test_the_rendered_html_links_citations_to_numbered_references(page):
    """Citations render as superscript links to #ref-N."""
    html = page.build_document()["clinical_definition"]["html"]
    assert '<sup class="citation"><a href="#ref-2"' in html
    assert '<sup class="citation"><a href="#ref-1"' in html
    assert "@adams2017" not in html


def test_a_citation_group_renders_one_superscript_with_every_link(library):
    """[@a; @b] becomes one <sup> holding a link per reference."""
    page = make_condition(clinical_definition="Both [@adams2017; @bloch2012].")
    html = page.build_document()["clinical_definition"]["html"]
    assert (
        '<sup class="citation"><a href="#ref-1" id="cite-1-1" aria-label="Reference 1">1</a>,'
        '<a href="#ref-2" id="cite-2-1" aria-label="Reference 2">2</a></sup>'
    ) in html


def test_the_plain_text_shows_citations_as_bracketed_numbers(page):
    """The plain text writes citations as [N]."""
    document = page.build_document()
    assert document["clinical_definition"]["text"] == "Defined in [2], refined in [1]."
    assert document["key_points"][0]["text"] == "Ketamine can help [1]."


@pytest.mark.parametrize("field", ["clinical_definition", "ketamine_fit", "clinic_fit"])
def test_condition_full_clean_rejects_an_unknown_citekey_on_its_field(library, field):
    """A Markdown field citing a key not in the library fails on that field, naming the key."""
    condition = Condition(slug="new-page", title="New", summary="New page.")
    setattr(condition, field, "Known [@adams2017], unknown [@nosuchkey].")
    with pytest.raises(ValidationError) as exc:
        condition.full_clean()
    assert set(exc.value.message_dict) == {field}
    [message] = exc.value.message_dict[field]
    assert "@nosuchkey" in message
    assert "@adams2017" not in message


def test_key_point_full_clean_rejects_an_unknown_citekey_on_its_text(page):
    """A key point citing an unknown key fails on `text`, naming the key."""
    point = KeyPoint(condition=page, text="Unsupported claim [@nosuchkey].")
    with pytest.raises(ValidationError) as exc:
        point.full_clean()
    [message] = exc.value.message_dict["text"]
    assert "@nosuchkey" in message


def test_full_clean_accepts_citations_of_known_references(page):
    """Text citing only references in the library validates."""
    page.full_clean()
    KeyPoint(condition=page, text="Supported [@adams2017; @bloch2012].").full_clean()


def test_a_citation_of_a_deleted_reference_is_reported_as_unresolved(page, library):
    """Deleting a cited reference leaves the key unresolved in the document and its problems."""
    library["adams2017"].delete()
    document = page.build_document()
    assert document["unresolved_citations"] == ["adams2017"]
    assert page.document_problems(document) == [
        "The page cites @adams2017, which is not in the reference library."
    ]
    assert [ref["citekey"] for ref in document["references"]] == ["bloch2012"]
    assert document["clinical_definition"]["text"] == "Defined in [?], refined in [1]."


def test_every_citekey_the_library_accepts_can_be_cited():
    """A one-letter citekey, which validate_citekey allows, is read from [@a]."""
    assert citekeys_in("[@a; @b]") == ["a", "b"]


def test_an_unknown_citekey_suggests_the_same_key_in_other_case(library):
    """[@Adams2017] is refused with “did you mean @adams2017?”."""
    condition = Condition(slug="new-page", title="New", summary="New page.")
    condition.clinical_definition = "Known [@Adams2017]."
    with pytest.raises(ValidationError) as exc:
        condition.full_clean()
    [message] = exc.value.message_dict["clinical_definition"]
    assert "For @Adams2017, did you mean @adams2017?" in message


def test_an_unknown_citekey_suggests_the_nearest_keys(library):
    """A typo gets the nearest existing keys; a key like none gets no suggestion."""
    condition = Condition(slug="new-page", title="New", summary="New page.")
    condition.clinical_definition = "Typo [@bloch2021], invented [@zzzz1900]."
    with pytest.raises(ValidationError) as exc:
        condition.full_clean()
    [message] = exc.value.message_dict["clinical_definition"]
    assert "For @bloch2021, did you mean @bloch2012?" in message
    assert "For @zzzz1900" not in message
