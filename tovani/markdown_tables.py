"""Markdown tables a screen reader can read: a caption and header cells that say what they head.

A pipe table is captioned by the paragraph just above it that starts with "Table:" (the line
becomes the table's <caption>), and every header cell gets scope="col". What survives after that
is still decided by the one sanitizer.
"""

import xml.etree.ElementTree as etree

from markdown.extensions import Extension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

CAPTION_PREFIX = "Table:"


class _AccessibleTables(Treeprocessor):
    def run(self, root):
        for parent in root.iter():
            children = list(parent)
            for index, table in enumerate(children):
                if table.tag != "table":
                    continue
                for cell in table.iter("th"):
                    cell.set("scope", "col")
                    cell.attrib.pop("style", None)
                for cell in table.iter("td"):
                    cell.attrib.pop("style", None)
                above = children[index - 1] if index else None
                if above is not None and _is_caption(above):
                    parent.remove(above)
                    table.insert(0, _caption_from(above))
        return None


def _is_caption(element) -> bool:
    return element.tag == "p" and (element.text or "").lstrip().startswith(CAPTION_PREFIX)


def _caption_from(paragraph):
    caption = etree.Element("caption")
    caption.text = paragraph.text.lstrip()[len(CAPTION_PREFIX) :].lstrip()
    caption.extend(list(paragraph))
    return caption


class AccessibleTableExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 - Markdown's own name
        TableExtension().extendMarkdown(md)
        # After the inline patterns (priority 20), so the caption keeps its emphasis and links.
        md.treeprocessors.register(_AccessibleTables(md), "accessible_tables", 5)
