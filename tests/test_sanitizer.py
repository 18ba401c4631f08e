"""The one HTML sanitizer: what survives from editor HTML and Markdown, and what never does."""

import pytest
from django.template import Context, Template

from tovani.rendering import markdown_to_text, render_markdown
from tovani.sanitizer import html_to_text, sanitize_html


def test_a_script_is_removed_with_its_content():
    """<script>alert(1)</script> leaves nothing behind, not even its text."""
    assert sanitize_html("<p>before<script>alert(1)</script>after</p>") == "<p>beforeafter</p>"


def test_an_img_with_an_event_handler_is_removed():
    """<img> is not allowed, so the tag and its onerror handler disappear."""
    cleaned = sanitize_html("<p>x<img src=x onerror=alert(1)></p>")
    assert cleaned == "<p>x</p>"


def test_event_handler_attributes_are_removed_from_allowed_tags():
    """An allowed tag keeps its text but loses attributes outside the allowlist."""
    assert sanitize_html('<p onclick="alert(1)">text</p>') == "<p>text</p>"


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "jav\tascript:alert(1)", " javascript:alert(1)"],
)
def test_a_javascript_link_loses_its_href(href):
    """A javascript: URL is dropped from a link whatever its case or embedded whitespace."""
    assert sanitize_html(f'<a href="{href}">click</a>') == "<a>click</a>"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)"])
def test_a_markdown_javascript_link_renders_without_href(url):
    """A Markdown link to a javascript: URL renders as a link without an href."""
    html = render_markdown(f"[x]({url})")
    assert html == "<p><a>x</a></p>"


def test_raw_script_in_markdown_is_removed():
    """HTML typed into Markdown goes through the sanitizer too."""
    html = render_markdown("<script>alert(1)</script>\n\nText.")
    assert "alert" not in html
    assert "<p>Text.</p>" in html


@pytest.mark.parametrize(
    "markup",
    [
        "<p>Plain <em>emphasis</em> and <strong>strong</strong>.</p>",
        '<p><a href="https://pubmed.ncbi.nlm.nih.gov/23783065/">PubMed</a></p>',
        '<p>Claim<sup class="citation"><a href="#ref-1" aria-label="Reference 1">1</a></sup></p>',
        "<ul><li>one</li><li>two</li></ul>",
    ],
)
def test_allowed_markup_survives_unchanged(markup):
    """Paragraphs, emphasis, https links, lists and citation superscripts pass untouched."""
    assert sanitize_html(markup) == markup


def test_markdown_renders_allowed_markup():
    """Markdown emphasis and https links render to allowed HTML."""
    html = render_markdown("Read *this* [study](https://doi.org/10.1038/npp.2013.150).")
    assert html == (
        '<p>Read <em>this</em> <a href="https://doi.org/10.1038/npp.2013.150">study</a>.</p>'
    )


def test_html_to_text_returns_unescaped_plain_text():
    """Tags are stripped, entities unescaped and whitespace collapsed."""
    text = html_to_text("<p>Fish &amp; chips &lt;3 <em>daily</em></p>\n<p>Second  line</p>")
    assert text == "Fish & chips <3 daily Second line"


def test_html_to_text_drops_script_content():
    """The text of a script is not visible text."""
    assert html_to_text("<p>Shown</p><script>alert(1)</script>") == "Shown"


def test_markdown_to_text_gives_what_a_reader_sees():
    """Markdown markup disappears and characters stay unescaped."""
    assert markdown_to_text("Fish & chips are *good* < bad") == "Fish & chips are good < bad"


def test_the_sanitized_template_filter_sanitizes_again():
    """{{ value|sanitized }} strips a script and a javascript: href from the value."""
    value = '<p>Hello<script>alert(1)</script> <a href="javascript:alert(2)">x</a></p>'
    rendered = Template("{{ value|sanitized }}").render(Context({"value": value}))
    assert rendered == "<p>Hello <a>x</a></p>"


def test_the_sanitized_template_filter_keeps_allowed_markup_unescaped():
    """Allowed HTML is output as markup, not as escaped text."""
    value = '<p><em>Safe</em><sup class="citation"><a href="#ref-1">1</a></sup></p>'
    rendered = Template("{{ value|sanitized }}").render(Context({"value": value}))
    assert rendered == value


HOSTILE = (
    '<p onclick="x()">Hi<script>alert(1)</script><a href="jav&#x09;ascript:alert(1)">x</a>'
    "<img src=x onerror=alert(1)><svg><script>alert(2)</script></svg></p>"
)


def _is_inert(html):
    lowered = html.lower()
    return not any(
        marker in lowered
        for marker in ["<script", "onclick", "onerror", "javascript", "<img", "<svg"]
    )


def test_the_nh3_pass_alone_still_removes_everything_dangerous(monkeypatch):
    """If bleach let everything through, the second pass would still hold the allowlist."""
    from tovani import sanitizer

    monkeypatch.setattr(sanitizer._cleaner, "clean", lambda fragment: fragment)
    monkeypatch.setattr(sanitizer, "_drop_unsafe_elements", lambda fragment: fragment)
    assert _is_inert(sanitizer.sanitize_html(HOSTILE))
    assert "Hi" in sanitizer.sanitize_html(HOSTILE)


def test_the_bleach_pass_alone_still_removes_everything_dangerous(monkeypatch):
    """If nh3 let everything through, bleach would still hold the allowlist."""
    from tovani import sanitizer

    monkeypatch.setattr(sanitizer, "_second_pass", lambda fragment: fragment)
    assert _is_inert(sanitizer.sanitize_html(HOSTILE))
