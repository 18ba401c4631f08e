"""Translators' files: a translation's segments as XLIFF 1.2 or PO, and back.

A file names the translation (its slug) and the digest of the English publication it was made
from; importing refuses a file made for another translation or from English that has changed
since (export again), and refuses the whole file when any segment breaks a protected token,
naming each. Segments are keyed by the English unit (the trans-unit id, the PO msgctxt), so a
translator's tool may reorder them freely.
"""

import io
from dataclasses import dataclass
from xml.etree import ElementTree as ET  # noqa: S405 (writing only; reading uses defusedxml)

import polib
from defusedxml import ElementTree as SafeET

from translations import editing, protected
from translations.errors import TranslationError

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
TRANSLATION_PROP = "x-tovani-translation"
DIGEST_PROP = "x-tovani-english-digest"


@dataclass(frozen=True)
class Entry:
    key: str
    english: str
    text: str


def export_po(translation) -> str:
    po = polib.POFile(wrapwidth=0)
    po.metadata = {
        "Project-Id-Version": translation.slug,
        "Language": translation.language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Tovani-Translation": translation.slug,
        "X-Tovani-English-Digest": translation.english_publication.source_digest,
    }
    for segment in translation.ordered_segments():
        po.append(
            polib.POEntry(
                msgctxt=segment.key,
                msgid=segment.english,
                msgstr=segment.text,
                comment=segment.label,
                flags=["fuzzy"] if segment.is_stale or segment.unchecked_machine else [],
            )
        )
    return str(po)


def export_xliff(translation) -> str:
    ET.register_namespace("", XLIFF_NS)
    root = ET.Element(f"{{{XLIFF_NS}}}xliff", version="1.2")
    file = ET.SubElement(
        root,
        f"{{{XLIFF_NS}}}file",
        original=translation.slug,
        datatype="plaintext",
        attrib={"source-language": "en", "target-language": translation.language},
    )
    header = ET.SubElement(file, f"{{{XLIFF_NS}}}header")
    group = ET.SubElement(header, f"{{{XLIFF_NS}}}prop-group", name="tovani")
    for kind, value in [
        (TRANSLATION_PROP, translation.slug),
        (DIGEST_PROP, translation.english_publication.source_digest),
    ]:
        ET.SubElement(group, f"{{{XLIFF_NS}}}prop", attrib={"prop-type": kind}).text = value
    body = ET.SubElement(file, f"{{{XLIFF_NS}}}body")
    for segment in translation.ordered_segments():
        unit = ET.SubElement(
            body, f"{{{XLIFF_NS}}}trans-unit", id=segment.key, resname=segment.label
        )
        unit.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        ET.SubElement(unit, f"{{{XLIFF_NS}}}source").text = segment.english
        target = ET.SubElement(unit, f"{{{XLIFF_NS}}}target", state=_state(segment))
        target.text = segment.text
        ET.SubElement(unit, f"{{{XLIFF_NS}}}note").text = segment.label
    out = io.BytesIO()
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)
    return out.getvalue().decode("utf-8")


def import_file(translation, content: str, user) -> int:
    """Read an XLIFF or PO file into the translation; returns how many segments it changed."""
    editing.refuse_unless_translator(user, "import a translated file")
    if content.lstrip().startswith("<"):
        name, digest, entries = _read_xliff(content)
    else:
        name, digest, entries = _read_po(content)
    return _apply(translation, name, digest, entries, user)


def _apply(translation, name, digest, entries, user) -> int:
    if name != translation.slug:
        raise TranslationError(
            f"This file is for the translation “{name or 'unnamed'}”, not “{translation.slug}”."
        )
    if digest != translation.english_publication.source_digest:
        raise TranslationError(
            "This file was made from an earlier English version of the page; export the "
            "translation again and carry your work over."
        )
    segments = {segment.key: segment for segment in translation.ordered_segments()}
    problems, changes = [], []
    for entry in entries:
        segment = segments.get(entry.key)
        if segment is None:
            problems.append(f"The file has a segment “{entry.key}” this translation does not.")
            continue
        if entry.english != segment.english:
            problems.append(f"“{segment.label}”: the file's English is not the page's English.")
            continue
        if not entry.text.strip() or entry.text.strip() == segment.text.strip():
            continue
        problems += protected.problems(segment.label, segment.english, entry.text)
        changes.append((segment, entry.text))
    if problems:
        raise TranslationError("The file was not imported: " + " ".join(problems))
    for segment, text in changes:
        editing.write_segment(segment, text, user)
    return len(changes)


def _read_po(content):
    try:
        po = polib.pofile(content)
    except (OSError, ValueError) as error:
        raise TranslationError(f"This is not a PO file polib can read ({error}).") from error
    entries = [
        Entry(entry.msgctxt or "", entry.msgid, entry.msgstr) for entry in po if not entry.obsolete
    ]
    meta = po.metadata
    return meta.get("X-Tovani-Translation", ""), meta.get("X-Tovani-English-Digest", ""), entries


def _read_xliff(content):
    try:
        root = SafeET.fromstring(content.encode("utf-8"))
    except (SafeET.ParseError, ValueError) as error:
        raise TranslationError(f"This is not an XLIFF file that can be read ({error}).") from error
    ns = {"x": XLIFF_NS}
    props = {
        prop.get("prop-type"): (prop.text or "")
        for prop in root.iterfind("x:file/x:header/x:prop-group/x:prop", ns)
    }
    entries = [
        Entry(
            unit.get("id", ""),
            _text(unit.find("x:source", ns)),
            _text(unit.find("x:target", ns)),
        )
        for unit in root.iterfind("x:file/x:body//x:trans-unit", ns)
    ]
    return props.get(TRANSLATION_PROP, ""), props.get(DIGEST_PROP, ""), entries


def _text(element) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _state(segment) -> str:
    if segment.is_missing:
        return "new"
    if segment.is_stale or segment.unchecked_machine:
        return "needs-review-translation"
    return "translated"
