"""The only two ways a document's text reaches a page as markup, both safe whatever the author wrote:

- the HTML the documents API renders from Markdown (no raw HTML of the author gets through there) is cleaned again
  here, to the tags CommonMark and its tables make: the web marks nothing as safe that it has not checked itself;
- a search hit arrives as parts (text, and whether it matched); each part is escaped and a match put in ``<mark>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import nh3
from markupsafe import Markup, escape

# What markdown-it's CommonMark with tables produces, and nothing else: no style, no class, no event handler.
DOCUMENT_TAGS = frozenset(
    {
        *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code"),
        *("ul", "ol", "li", "em", "strong", "a", "img"),
        *("table", "thead", "tbody", "tr", "th", "td"),
    }
)
DOCUMENT_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"style"},  # a table column's alignment, and only that (``filter_style_properties``)
    "td": {"style"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_HEADING = re.compile(r"<(/?)h([1-6])>")


def document_html(html: str, *, below_level: int = 1) -> Markup:
    """The API's rendering of a version, cleaned to ``DOCUMENT_TAGS``, its headings moved below the page's own
    (a document's ``# Formål`` under the page's ``<h1>`` becomes an ``<h2>``), links marked as leaving the page."""
    cleaned = nh3.clean(
        html,
        tags=set(DOCUMENT_TAGS),
        attributes={tag: set(names) for tag, names in DOCUMENT_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        filter_style_properties={"text-align"},
    )
    # Safe to do on text: the cleaner wrote every tag itself, and a heading tag keeps no attribute.
    moved = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + below_level, 6)}>", cleaned)
    return Markup(moved)  # noqa: S704 (cleaned by nh3 to the allow-list above)


def highlighted(parts: Iterable[Mapping[str, Any]]) -> Markup:
    """A search hit's parts as markup: every text escaped, the words that matched in ``<mark>``."""
    out = Markup()
    for part in parts:
        text = escape(str(part.get("text", "")))
        out += Markup("<mark>{}</mark>").format(text) if part.get("match") else text
    return out
