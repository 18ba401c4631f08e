"""Search reads the whole page, weighted, and common words do not decide the ranking.

Body text, treatments and their descriptions, FAQ answers and comparisons are searched too, at
lower weights than the title, codes and search phrases. Stop words and very common clinical
words ("disorder", "treatment") do not decide a ranking while the query has other words. With a
depression page live that also mentions OCD, clomipramine and glutamate, the four searches of
the issue find the OCD page first, on SQLite and on PostgreSQL alike.
"""

import pytest

from conditions.search import search
from conditions.vocabulary import deciding_terms, expansions
from tests.library import publish_condition, treatment

OCD = "treatment-resistant-ocd"


@pytest.fixture
def depression_beside_ocd(demo, editor, physician_user, publisher):
    """A depression page whose text shares words with the OCD page, as real pages do."""
    tca = treatment("tricyclic-antidepressants", "Tricyclic antidepressants")
    publish_condition(
        (editor, physician_user, publisher),
        "major-depressive-disorder",
        "Major Depressive Disorder",
        summary="A common mood disorder: low mood and loss of interest most days.",
        status="established",
        phrases=["depression treatment", "depressive disorder help"],
        codes=[("ICD-11", "6A70", "")],
        faqs=[
            (
                "Is depression the same as OCD?",
                "No. Obsessive-compulsive disorder can come with depression, but its "
                "compulsions set it apart.",
            )
        ],
        treatments=[(tca, "escalation")],
        clinical_definition="Ketamine acts on glutamate, a different pathway from older "
        "antidepressants such as clomipramine.",
    )


@pytest.mark.parametrize(
    "query",
    ["obsessive compulsive disorder", "obsessive", "glutamate", "clomipramine"],
)
def test_the_issues_searches_find_the_ocd_page_first(depression_beside_ocd, query):
    """Each of the four finds the OCD page first, though the depression page matches too."""
    assert search(query)[0].slug == OCD


def test_body_text_alone_finds_a_page(depression_beside_ocd):
    """A word only in a section's text (not in title, summary or phrases) is found."""
    assert OCD in [entry.slug for entry in search("intrusive")]


def test_faq_answers_and_treatment_descriptions_are_searched(depression_beside_ocd):
    """ "compulsions" is in the depression page only in an FAQ answer; "tricyclic" only in the
    name of one of its treatments, which ranks it above the OCD page's passing mention."""
    assert "major-depressive-disorder" in [entry.slug for entry in search("compulsions")]
    assert search("tricyclic")[0].slug == "major-depressive-disorder"


def test_a_title_match_ranks_above_a_body_match(depression_beside_ocd):
    """ "depressive" is in the depression page's title and only in the OCD page's text."""
    found = [entry.slug for entry in search("depressive")]
    assert found[0] == "major-depressive-disorder"


def test_a_common_clinical_word_does_not_decide_the_ranking(depression_beside_ocd):
    """ "disorder" is in the depression page's title, not the OCD page's: still OCD first."""
    assert search("obsessive compulsive disorder")[0].slug == OCD
    assert search("disorder")[0].slug == "major-depressive-disorder"


def test_common_words_are_kept_when_nothing_else_is_asked():
    """A query of only common words still searches by them; stop words go first."""
    assert deciding_terms(["the", "treatment", "of", "ocd"]) == ["ocd"]
    assert deciding_terms(["the", "treatment"]) == ["treatment"]
    assert deciding_terms(["the"]) == ["the"]


def test_abbreviations_in_a_title_are_spelled_out_for_search():
    """A page titled with OCD is also found by the condition's name."""
    assert expansions("Treatment-Resistant OCD", "ketamine for OCD") == [
        "obsessive-compulsive disorder"
    ]
    assert expansions("Treatment-resistant depression") == []


def test_a_common_word_does_not_exclude_the_page_the_query_is_about(
    editor, physician_user, publisher
):
    """ "hoarding disorder": the page on hoarding never says "disorder", the page that mentions
    hoarding in passing does; the word "disorder" must not make that one the only answer."""
    people = (editor, physician_user, publisher)
    publish_condition(
        people,
        "compulsive-hoarding",
        "Compulsive Hoarding",
        summary="Difficulty discarding possessions, whatever their value.",
    )
    publish_condition(
        people,
        "body-dysmorphic-disorder",
        "Body Dysmorphic Disorder",
        summary="Preoccupation with perceived flaws in appearance.",
        clinical_definition="Sometimes seen together with hoarding.",
    )
    assert search("hoarding disorder")[0].slug == "compulsive-hoarding"
