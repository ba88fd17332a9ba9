"""GitHub-style alerts (`> [!NOTE]`) as styled admonitions, in the sanitised tree."""

from __future__ import annotations

import re

from lxml import html as lxml_html

KINDS = ("note", "tip", "important", "warning", "caution")
_MARKER = re.compile(r"\A\s*\[!(" + "|".join(KINDS) + r")\][ \t]*\n?", re.IGNORECASE)


def apply_alerts(root: lxml_html.HtmlElement) -> int:
    """Turn each blockquote that opens with `[!KIND]` into an admonition; return how many."""
    count = 0
    for quote in list(root.iter("blockquote")):
        first = quote[0] if len(quote) else None
        if first is None or first.tag != "p" or not first.text:
            continue
        match = _MARKER.match(first.text)
        if match is None:
            continue
        kind = match.group(1).lower()
        first.text = first.text[match.end():]
        if not first.text.strip() and len(first) and first[0].tag == "br":
            first.text = first[0].tail
            first.remove(first[0])
        if not (first.text or "").strip() and not len(first):
            quote.remove(first)
        quote.tag = "div"
        quote.attrib.clear()
        quote.set("class", f"admonition admonition-{kind}")
        quote.set("role", "note")
        title = lxml_html.Element("p", {"class": "admonition-title"})
        title.text = kind.capitalize()
        title.tail = quote.text
        quote.text = None
        quote.insert(0, title)
        count += 1
    return count
