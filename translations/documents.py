"""The translated page: the English publication's document with every unit in translation.

The English publication's document gives the page its shape and everything that is not
translated (codes, references, addresses); each segment's text replaces its unit, Markdown
rendered as the English is, citations numbered again in the translation's reading order.
"""

import copy

from conditions.documents import TABLE_SECTIONS
from references.citations import CitationNumbering
from references.formatting import reference_entry
from references.models import Reference
from tovani.rendering import markdown_to_text, render_markdown
from translations import units

DOCUMENT_SCHEMA = 1


def translated_document(translation) -> dict:
    english = translation.english_publication
    document = copy.deepcopy(english.document)
    segments = list(translation.ordered_segments())
    numbering = _numbering(english.document, segments)
    for segment in segments:
        if segment.is_missing:
            continue
        _put(document, segment, numbering)
    if numbering is not None:
        _renumber_references(document, numbering)
    document.update(
        {
            "slug": translation.slug,
            "language": translation.language,
            "translation_schema": DOCUMENT_SCHEMA,
            "translation_of": {
                "kind": document.get("kind", ""),
                "slug": english.slug,
                "title": english.title,
                "path": translation.english_path,
                "digest": english.digest,
                "source_digest": english.source_digest,
                "published_at": english.published_at.isoformat(),
            },
        }
    )
    return document


def problems(translation) -> list[str]:
    """What stops the translation from being submitted, signed or published, segment by segment."""
    found = []
    if not translation.english_is_live():
        found.append(
            "The English page it translates is not on the public site: a translation is "
            "published only beside its English original."
        )
    segments = list(translation.ordered_segments())
    if not segments:
        found.append("The translation has no segments.")
    for segment in segments:
        if segment.is_missing:
            found.append(f"“{segment.label}” is not translated yet.")
        elif segment.is_stale:
            found.append(
                f"“{segment.label}” is stale: its English changed since it was translated."
            )
        if segment.unchecked_machine:
            found.append(
                f"“{segment.label}” is a machine translation no person has edited or confirmed."
            )
        found += segment.protection_problems()
    return found


def _numbering(document, segments) -> CitationNumbering | None:
    if "references" not in document:
        return None
    from references.citations import citekeys_in

    cited = {key for s in segments if s.format == units.MARKDOWN for key in citekeys_in(s.text)}
    return CitationNumbering({ref.citekey: ref for ref in Reference.objects.with_citekeys(cited)})


def _put(document, segment, numbering) -> None:
    *parents, last = segment.path
    holder = document
    for step in parents:
        holder = holder[step]
    if segment.format == units.PLAIN:
        holder[last] = segment.text.strip()
        return
    target = holder[last]
    source = segment.text.strip()
    html_source = numbering.to_html(source) if numbering else source
    text_source = numbering.to_text(source) if numbering else source
    tables = segment.path[0] in TABLE_SECTIONS  # as the English renders them
    target["html"] = render_markdown(html_source, tables=tables)
    target["text"] = markdown_to_text(text_source, tables=tables)
    if "citations" in target and numbering is not None:
        target["citations"] = numbering.numbers_in(source)


def _renumber_references(document, numbering) -> None:
    library = {ref.citekey: ref for ref in Reference.objects.with_citekeys(numbering.numbers)}
    document["references"] = [
        {**reference_entry(library[key], number), "cited_at": numbering.anchors(number)}
        for key, number in numbering.numbers.items()
    ]
    document["unresolved_citations"] = sorted(numbering.unknown)


def text_at(document, segment) -> str:
    """The plain text a document holds where the segment goes ("" where it has none)."""
    value = document
    try:
        for step in segment.path:
            value = value[step]
    except (KeyError, IndexError, TypeError):
        return ""
    if segment.format == units.MARKDOWN:
        return value.get("text", "") if isinstance(value, dict) else ""
    return value if isinstance(value, str) else ""
