"""The link policy of one rendered article: keep web links, resolve in-page anchors, and
leave every link to another page as a marker the export resolves from the site index.

A fragment depends on its own article alone: `../other.md` or `/docs/x/` becomes
`href="<marker n>"` with `n` indexing the fragment's `links`; at export time
`resolve_markers` puts the chapter anchor or the absolute URL there, or unwraps the link.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from lxml import html as lxml_html

from pressroom.model import Heading, PageTarget
from pressroom.render.sanitize import URL_SCHEMES
from pressroom.slugs import safe_slug

LINK_OPEN, LINK_CLOSE = "\ue002", "\ue003"
_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.-]*):")
_MARKED = re.compile(
    f'<a\\b([^>]*?)\\shref="{LINK_OPEN}(\\d+){LINK_CLOSE}"([^>]*)>(.*?)</a>', re.S)
NO_HEADING = ("link", "unlinked: no heading with that id on this page")


def strip_markers(text: str) -> str:
    """Source text without the private characters the markers use."""
    return text.replace(LINK_OPEN, "").replace(LINK_CLOSE, "")


def _anchor_ids(headings: tuple[Heading, ...], key: str) -> dict[str, str]:
    """Each heading's id by the slug a page would link to (`#install` → `key--install`)."""
    prefix = f"{key}--"
    return {h.id.removeprefix(prefix): h.id for h in headings}


def _unwrap(link: lxml_html.HtmlElement) -> None:
    """Replace a link by its content: no output holds an `<a>` without `href`."""
    link.drop_tag()


def apply_link_policy(root: lxml_html.HtmlElement, key: str, headings: tuple[Heading, ...]
                      ) -> tuple[tuple[str, ...], list[tuple[tuple[str, str], str]]]:
    """Keep web links, point in-page anchors at heading ids, mark links to other pages.

    Returns the marked hrefs (by marker index) and the (kind, href) of each dropped link.
    """
    anchors = _anchor_ids(headings, key)
    links: dict[str, int] = {}
    dropped: list[tuple[tuple[str, str], str]] = []
    for link in list(root.iter("a")):
        href = link.get("href")
        if href is None:  # the sanitiser removed a scheme it does not allow
            _unwrap(link)
            continue
        scheme = _SCHEME.match(href)
        if scheme is not None and scheme.group(1).lower() in URL_SCHEMES:
            continue
        if scheme is None and href.startswith("#"):
            target = anchors.get(safe_slug(href[1:], "")) or anchors.get(href[1:])
            if target is None and href[1:] not in (key, ""):
                dropped.append((NO_HEADING, href))
                _unwrap(link)
            else:
                link.set("href", f"#{target or key}")
            continue
        if scheme is not None:
            dropped.append((("link", "unlinked: only http(s) and mailto links are kept"), href))
            _unwrap(link)
            continue
        index = links.setdefault(href, len(links))
        link.set("href", f"{LINK_OPEN}{index}{LINK_CLOSE}")
    return tuple(links), dropped


def resolve_markers(xhtml: str, links: tuple[str, ...], targets: Mapping[str, PageTarget],
                    internal_href: Callable[[str], str | None]) -> str:
    """The fragment with each marked link pointing at its chapter or URL, or unwrapped.

    `internal_href` gives None for a page the output does not hold (another volume):
    that link goes to the page's URL.
    """
    if LINK_OPEN not in xhtml:
        return xhtml

    def substitute(match: re.Match[str]) -> str:
        before, index, after, inner = match.groups()
        href = links[int(index)] if int(index) < len(links) else ""
        target = targets.get(href)
        inside = internal_href(target.internal_key) if target and target.internal_key else None
        if inside is not None:
            return f'<a{before} href="{inside}"{after}>{inner}</a>'
        if target is None or not target.absolute_url:
            return f'<span class="unresolved-link">{inner}</span>'
        url = target.absolute_url
        escaped = url.replace("&", "&amp;").replace('"', "&quot;")
        return f'<a{before} href="{escaped}"{after}>{inner}</a>'

    return _MARKED.sub(substitute, xhtml)
