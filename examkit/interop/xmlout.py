"""Writing XML for the QTI formats: HTML fragments from the bank's Markdown, inside a namespace."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .text import markdown_html

_BLOCK_TAGS = ("<p>", "<p ", "<ul>", "<ol>", "<pre>", "<div")


def html_blocks(markdown: str) -> str:
    """The Markdown as block HTML: a single paragraph comes back inline, so wrap it in <p>."""
    html = markdown_html(markdown)
    return html if html.startswith(_BLOCK_TAGS) else f"<p>{html}</p>"


def append_html(parent: ET.Element, html: str, namespace: str) -> None:
    """Parse an XHTML fragment (the renderer's escaped output is well-formed) into `parent`."""
    wrapper = ET.fromstring(f'<wrap xmlns="{namespace}">{html}</wrap>')
    parent.text = (parent.text or "") + (wrapper.text or "")
    for child in wrapper:
        parent.append(child)


def to_string(root: ET.Element) -> str:
    """The document with its root's namespace as the default one, whatever namespaces other code
    registered with ElementTree (a global registry): the same file from the same content."""
    ET.indent(root)
    if root.tag.startswith("{"):
        ET.register_namespace("", root.tag[1:].partition("}")[0])
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
