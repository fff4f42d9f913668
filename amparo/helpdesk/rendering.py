"""Guides are written in Markdown and shown as HTML that can do nothing but be read:
markdown-it-py renders it (CommonMark, raw HTML escaped rather than passed through), then nh3
keeps only the tags and attributes a guide needs, and only links to http(s), mail and our own
pages. A `<script>`, an `onclick` or a `javascript:` link in a
guide's text comes out as harmless text or is dropped."""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

TAGS = {"p", "h2", "h3", "h4", "ol", "ul", "li", "strong", "em", "code", "pre", "blockquote", "a", "hr", "br"}
ATTRIBUTES = {"a": {"href", "title"}}
SCHEMES = {"https", "http", "mailto"}


def render_guide(text: str) -> SafeString:
    """The guide's Markdown as sanitised HTML. Raw HTML in the text comes out as visible text;
    nh3 then keeps only the listed tags, attributes and link schemes (markdown-it already
    refuses `javascript:` links; nh3 is the second lock)."""
    html = MarkdownIt("commonmark", {"html": False}).render(text)
    clean = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES,
                      link_rel="noopener noreferrer", strip_comments=True)
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
