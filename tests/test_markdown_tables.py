"""Markdown tables in a page's long sections: captioned, with header cells that say what they
head, through the one sanitizer, and part of the source a physician signs."""

import pytest
from django.core.exceptions import ValidationError

from reviews.digest import source_digest
from tests.conftest import add_key_point, edit, make_condition
from tovani.rendering import render_markdown
from tovani.sanitizer import sanitize_html

DOSES = """Doses used in trials.

Table: Doses compared in the trials

| Drug | Dose |
| --- | --- |
| Ketamine | 0.5 mg/kg |
| Esketamine | 56 mg |
"""

CAPTIONED = (
    "<table>\n<caption>Doses compared in the trials</caption><thead>\n<tr>\n"
    '<th scope="col">Drug</th>\n<th scope="col">Dose</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n'
    "<td>Ketamine</td>\n<td>0.5 mg/kg</td>\n</tr>\n<tr>\n<td>Esketamine</td>\n<td>56 mg</td>\n"
    "</tr>\n</tbody>\n</table>"
)


def test_a_table_renders_with_its_caption_and_column_header_cells():
    html = render_markdown(DOSES, tables=True)
    assert html == f"<p>Doses used in trials.</p>\n{CAPTIONED}"


def test_a_table_survives_the_sanitizer_unchanged():
    assert sanitize_html(CAPTIONED) == CAPTIONED


@pytest.mark.parametrize(
    ("hostile", "clean"),
    [
        (
            '<table onclick="x()"><tbody><tr><td>1</td></tr></tbody></table>',
            "<table><tbody><tr><td>1</td></tr></tbody></table>",
        ),
        (
            '<table><tbody><tr><td style="color:red" colspan="9">1</td></tr></tbody></table>',
            "<table><tbody><tr><td>1</td></tr></tbody></table>",
        ),
        (
            '<table><tbody><tr><th scope="javascript:x">A</th></tr></tbody></table>',
            "<table><tbody><tr><th>A</th></tr></tbody></table>",
        ),
        (
            "<table><caption>C<script>alert(1)</script></caption></table>",
            "<table><caption>C</caption></table>",
        ),
        (
            '<table><tbody><tr><td><a href="javascript:alert(1)">x</a><img src=x></td></tr>'
            "</tbody></table>",
            "<table><tbody><tr><td><a>x</a></td></tr></tbody></table>",
        ),
    ],
)
def test_nothing_unsafe_survives_with_a_table(hostile, clean):
    assert sanitize_html(hostile) == clean


def test_markdown_typed_into_a_cell_is_still_sanitized():
    html = render_markdown(
        "Table: T\n\n| a | b |\n| - | - |\n| <script>x()</script> | [y](javascript:z) |",
        tables=True,
    )
    assert "script" not in html
    assert "javascript" not in html
    assert "<td><a>y</a></td>" in html


def test_the_long_sections_render_tables_and_the_short_texts_keep_them_as_text(editor):
    page = make_condition(editor, clinical_definition=DOSES, clinic_fit=DOSES)
    add_key_point(page, "| a | b |\n| - | - |\n| 1 | 2 |")
    document = page.build_document()
    assert CAPTIONED in document["clinical_definition"]["html"]
    assert CAPTIONED in document["clinic_fit"]["html"]
    assert "<table" not in document["key_points"][0]["html"]
    assert (
        "Doses compared in the trials Drug Dose Ketamine"
        in (document["clinical_definition"]["text"])
    )


def test_changing_one_table_cell_changes_the_source_digest(editor):
    page = make_condition(editor, ketamine_fit=DOSES)
    before = source_digest(page)
    edit(page, editor, ketamine_fit=DOSES.replace("56 mg", "84 mg"))
    assert source_digest(page) != before


def test_a_table_without_a_caption_is_refused_naming_its_field(editor):
    page = make_condition(editor)
    page.standard_treatments_fail = "| a | b |\n| - | - |\n| 1 | 2 |"
    with pytest.raises(ValidationError) as refused:
        page.full_clean()
    assert list(refused.value.message_dict) == ["standard_treatments_fail"]
    assert "needs a caption" in refused.value.message_dict["standard_treatments_fail"][0]
    page.standard_treatments_fail = f"Table: Numbers\n\n{page.standard_treatments_fail}"
    page.full_clean()
