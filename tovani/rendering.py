"""Markdown to safe HTML: the only way editor text becomes HTML."""

import markdown

from tovani.sanitizer import html_to_text, sanitize_html


def render_markdown(source: str) -> str:
    """Render Markdown and pass the result through the one sanitizer."""
    rendered = markdown.markdown(source or "", extensions=["sane_lists"], output_format="html")
    return sanitize_html(rendered)


def markdown_to_text(source: str) -> str:
    """The visible text of a Markdown source, as a reader would see it."""
    return html_to_text(render_markdown(source))
