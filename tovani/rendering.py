"""Markdown to safe HTML: the only way editor text becomes HTML."""

import re

import markdown

from tovani.markdown_tables import AccessibleTableExtension
from tovani.sanitizer import html_to_text, sanitize_html


def render_markdown(source: str, tables: bool = False) -> str:
    """Render Markdown and pass the result through the one sanitizer. tables: pipe tables
    become captioned tables (the long sections of a page); elsewhere they stay text."""
    extensions = ["sane_lists", *([AccessibleTableExtension()] if tables else [])]
    rendered = markdown.markdown(source or "", extensions=extensions, output_format="html")
    return sanitize_html(rendered)


def markdown_to_text(source: str, tables: bool = False) -> str:
    """The visible text of a Markdown source, as a reader would see it."""
    return html_to_text(render_markdown(source, tables=tables))


_TABLE = re.compile(r"<table>(?!\s*<caption>)")


def uncaptioned_tables(source: str) -> int:
    """How many pipe tables in source have no "Table:" line above them to caption them."""
    return len(_TABLE.findall(render_markdown(source, tables=True)))
