"""A page break inside a pasted reference list leaves no trace in the references around it.

A PDF's page break drops its running head and its page number wherever the page ends: inside a
title, or between the two halves of a page range. Both are skipped, named in a note on the
reference they interrupted, and the reference reads as if the page had not ended.
"""

import pytest

from references.importers.vancouver import parse_vancouver

HEAD = "Journal of Psychiatric Research 130 (2020) 45–52"

LIST = """1. Romanelli RJ, Wu FM, Gamba R, et al. Behavioral therapy and
serotonin reuptake inhibitor pharmacotherapy in the treatment
{head}
of obsessive-compulsive disorder: a systematic review. Depress
Anxiety. 2014;31(8):641–652.
2. Foa EB, Liebowitz MR, Kozak MJ, et al. Randomized, placebo-
controlled trial of exposure. Am J Psychiatry. 2005;162(1):151–
{page}
161.
3. Thompson SL, Welch AC. Ketamine induces alterations of behavior.
Psychopharmacology (Berl). 2020;237(3):627–638.
"""


def read(head=HEAD, page="12"):
    return parse_vancouver(LIST.format(head=head, page=page))


@pytest.mark.parametrize(
    "head",
    [HEAD, "Psychiatry Research 291 (2020) 113245", "J Clin Psychiatry 81:3, May/June 2020"],
)
def test_a_journals_running_head_inside_a_title_is_not_merged_into_it(head):
    """The running head met once, mid-title, is skipped: the title reads on across it."""
    romanelli = read(head=head)[0]
    assert romanelli.title == (
        "Behavioral therapy and serotonin reuptake inhibitor pharmacotherapy in the treatment "
        "of obsessive-compulsive disorder: a systematic review"
    )
    assert romanelli.warnings == [
        f"Line 3 (“{head}”) skipped as page header or footer, not part of a reference."
    ]


def test_a_lone_page_number_between_the_halves_of_a_page_range_is_not_merged_into_it():
    """“151–”, “12”, “161.” gives the pages 151-161, and the 12 is named as skipped."""
    foa = read()[1]
    assert (foa.journal, foa.volume, foa.issue, foa.pages) == (
        "Am J Psychiatry",
        "162",
        "1",
        "151-161",
    )
    assert foa.warnings == [
        "Line 8 (“12”) skipped as page header or footer, not part of a reference."
    ]


def test_the_references_after_the_page_break_keep_their_own_fields():
    """The next entry starts clean after the skipped page number."""
    references = read()
    assert [r.first_author for r in references] == ["Romanelli RJ", "Foa EB", "Thompson SL"]
    assert references[2].pages == "627-638"


def test_a_range_whose_end_is_on_the_next_line_still_joins():
    """Without a page number between them, “151–” and “161.” still make one range."""
    text = LIST.format(head=HEAD, page="").replace("151–\n\n161.", "151–\n161.")
    assert parse_vancouver(text)[1].pages == "151-161"
