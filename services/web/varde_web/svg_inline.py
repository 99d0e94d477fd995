"""The risk service's SVG shown inside a page, not as an ``<img>``: a screen reader then reads its title and its
description (every risk in words), and its text grows with the page's zoom.

Inline, an SVG is part of the page: whatever in it could run (a script, an event handler, a link, an embedded
document or style sheet) would run as the page, with the person's session. The risk service draws none of that;
the web checks it before it trusts the markup, and shows no picture when the check fails.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
# What a drawing of the matrix is made of: shapes, text and their names for a screen reader.
DRAWN = frozenset({"svg", "title", "desc", "g", "rect", "text", "tspan", "polyline", "polygon", "line", "path"})
# Attributes that load or run something, or restyle the page around the picture.
REFUSED = frozenset({"href", "src", "style", "begin", "end", "values", "attributename"})


def _drawn_only(root: ET.Element) -> bool:
    for element in root.iter():
        if not element.tag.startswith(SVG) or element.tag.removeprefix(SVG) not in DRAWN:
            return False
        for name in element.attrib:
            # A name in a namespace (xlink:href, …) is never one the picture needs.
            if name.startswith("{") or name.lower().startswith("on") or name.lower() in REFUSED:
                return False
    return True


def inline_svg(document: str) -> str | None:
    """The SVG to write into the page as it is (``| safe``), or None when it holds anything but a drawing."""
    text = document.strip()
    # No declaration, doctype, entity, comment or CDATA: entities could not then blow up in the parser either.
    if not text.startswith("<svg") or "<!" in text or "<?" in text:
        return None
    try:
        root = ET.fromstring(text)  # noqa: S314 (no doctype, so no entities: checked above)
    except ET.ParseError:
        return None
    if root.tag != f"{SVG}svg" or not _drawn_only(root):
        return None
    return text
