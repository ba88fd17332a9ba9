"""Allow-list sanitising (nh3) and conversion of the result to well-formed XHTML."""

from __future__ import annotations

import re

import nh3
from lxml import etree, html

ALLOWED_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
    "var",
})
HTML_TAGS = ALLOWED_TAGS | frozenset({
    "applet", "area", "audio", "base", "body", "button", "canvas", "details", "dialog", "embed",
    "fieldset", "form", "frame", "frameset", "head", "html", "iframe", "input", "label", "link",
    "map", "math", "meta", "nav", "noscript", "object", "option", "param", "picture", "portal",
    "script", "section", "select", "source", "style", "summary", "svg", "template", "textarea",
    "title", "track", "video", "article", "aside", "header", "footer", "main", "col", "colgroup",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
    "ol": {"start"},
    "code": {"class"},
    "span": {"class"},
    "div": {"class"},
}
VOID_TAGS = frozenset({"br", "hr", "img", "col", "wbr"})
_SELF_CLOSED = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:\s[^<>]*?)?)/>")
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_TEXT_ALIGN_ONLY = ["text-align"]


def sanitise(raw_html: str) -> str:
    """Strip everything outside the allow-list: scripts, styles, handlers, bad URLs."""
    return nh3.clean(
        raw_html,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        filter_style_properties=set(_TEXT_ALIGN_ONLY),
        link_rel="noopener",
        strip_comments=True,
    )


def parse_fragment(clean_html: str) -> html.HtmlElement:
    """Parse sanitised HTML into a `<div>` element tree."""
    return html.fragment_fromstring(clean_html or "", create_parent="div")


def to_xhtml(root: html.HtmlElement) -> str:
    """Serialise the children of `root` as XHTML that HTML parsers read the same way."""
    parts = [_escape(root.text or "")]
    for child in root:
        parts.append(etree.tostring(child, method="xml", encoding="unicode", with_tail=True))
    return _SELF_CLOSED.sub(_open_close, "".join(parts))


def _open_close(match: re.Match[str]) -> str:
    """`<div/>` means an open tag to an HTML parser: write `<div></div>` unless void."""
    tag, attrs = match.group(1), match.group(2)
    return match.group(0) if tag in VOID_TAGS else f"<{tag}{attrs}></{tag}>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def repair_lists(root: html.HtmlElement) -> None:
    """Move a list written straight inside a list (raw HTML) into the item before it, as a
    browser shows it: XHTML allows only `li` there."""
    for inner in [e for e in root.iter("ul", "ol") if e.getparent() is not None
                  and e.getparent().tag in ("ul", "ol")]:
        outer = inner.getparent()
        before = inner.getprevious()
        if before is not None and before.tag == "li":
            before.append(inner)  # lxml moves the element, keeping its tail
        else:
            item = html.Element("li")
            outer.replace(inner, item)
            item.append(inner)
