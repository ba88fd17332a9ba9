"""Breadcrumb trails from a page's URL path segments, named after its collection if they match."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import unquote, urlsplit

from pressroom.seo import Site
from pressroom.slugs import safe_slug


def segment_name(segment: str, known: dict[str, str]) -> str:
    """A crumb's name: the collection or subject its slug matches, else the segment in words."""
    words = unquote(segment)
    return known.get(safe_slug(words, "")) or " ".join(
        words.replace("-", " ").replace("_", " ").split()).title() or words


def breadcrumbs(path: str, title: str, site: Site, levels: Sequence[int], home: str,
                names: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """(name, URL) from Home through the page's parent paths to the page itself.

    `path` is the page's site path; `levels` picks which parent paths (counted in path
    segments, 1 = the first folder) become crumbs, every one when empty; a segment whose
    slug is that of one of `names` (the collection, the subject) is called by that name.
    """
    known = {safe_slug(name, ""): name for name in names if name}
    segments = [segment for segment in urlsplit(path).path.split("/") if segment]
    crumbs = [(home, site.root)]
    for depth in range(1, len(segments)):
        if levels and depth not in levels:
            continue
        prefix = "/" + "/".join(segments[:depth])
        crumbs.append((segment_name(segments[depth - 1], known), site.page_url(prefix)))
    crumbs.append((title, site.page_url(path)))
    return tuple(crumbs)
