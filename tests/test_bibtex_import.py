"""BibTeX as reference managers and journals write it: macros, concatenation, braces and math.

bibtexparser's parse stack reads each file; ``@string`` macros joined with ``#``, a corporate
author in braces and ``$…$`` math arrive as the words a reader sees, not as BibTeX source.
"""

import pytest

from references.errors import ImportFormatError
from references.importers import parse_references
from references.importers.bibtex_strings import evaluate

MACROS = """
@string{jama = "JAMA"}
@string{psy = {Psychiatry}}
@string{jamapsy = jama # " " # psy}
"""


def parse_one(fields: str, strings: str = MACROS):
    if "title =" not in fields:
        fields += "\n  title = {A trial},"
    text = f"{strings}\n@article{{key2021,\n  year = 2021,\n{fields}\n}}\n"
    (reference,) = parse_references(text, "bibtex")
    return reference


def test_a_journal_concatenated_from_string_macros_reads_as_its_words():
    """``jama # " " # psy`` gives the journal “JAMA Psychiatry”, not the expression."""
    assert parse_one("  journal = jama # { } # psy,").journal == "JAMA Psychiatry"


def test_a_macro_defined_by_a_concatenation_of_macros_resolves():
    """A ``@string`` that is itself an expression of other macros resolves all the way."""
    assert parse_one("  journal = jamapsy,").journal == "JAMA Psychiatry"


def test_literal_parts_and_numbers_join_macros():
    """Quoted, braced and bare-number parts keep their text between the macros."""
    reference = parse_one('  journal = "Journal of " # psy,\n  pages = 10 # "--" # {12},')
    assert reference.journal == "Journal of Psychiatry"
    assert reference.pages == "10-12"  # the LaTeX en dash, written as AMA writes ranges


def test_a_hash_inside_braces_is_text_not_concatenation():
    """Only a ``#`` outside braces and quotes joins parts: ``{C# in medicine}`` stays a title."""
    (reference,) = parse_references("@article{a, title = {C# in medicine}, year = 2020}", "bibtex")
    assert reference.title == "C# in medicine"


def test_an_unknown_macro_leaves_the_expression_unresolved():
    """An expression naming an undefined macro is not guessed at."""
    assert evaluate('nosuch # " x"', {}) is None
    assert evaluate('a # " x"', {"a": "a # b", "b": "a # b"}) is None  # defined through itself


def test_a_braced_corporate_author_stays_one_name():
    """``{World Health Organization}`` is one author, written whole, not “Organization WH”."""
    reference = parse_one("  author = {{World Health Organization} and Smith, John A.},")
    assert reference.authors == ["World Health Organization", "Smith JA"]


def test_accents_in_names_are_decoded_after_splitting():
    """LaTeX accents in names still decode: ``Rosa-Alc{\\'a}zar`` gives “Rosa-Alcázar”."""
    reference = parse_one("  author = {Rosa-Alc{\\'a}zar, Ana I. and M{\\\"u}ller, Hans},")
    assert reference.authors == ["Rosa-Alcázar AI", "Müller H"]


def test_math_in_a_title_reads_as_text():
    """``$\\beta$`` and ``$\\geq$`` in a title read “β” and “≥”, with no dollar signs left."""
    reference = parse_one(
        "  title = {Effect of $\\beta$-blockers in {OCD} with Y-BOCS $\\geq 16$},"
    )
    assert reference.title == "Effect of β-blockers in OCD with Y-BOCS ≥ 16"


def test_a_malformed_entry_is_still_refused_naming_its_line():
    """The parse stack still reports what bibtexparser could not read."""
    with pytest.raises(ImportFormatError, match="^Line 2: this BibTeX entry could not be read"):
        parse_references(
            '@article{a, title={A}, year=2020}\n@article{b, author = "X" title = {B}', "bibtex"
        )
