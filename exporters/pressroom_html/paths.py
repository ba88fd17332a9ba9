"""Where each page of the study site lives: its URL path, its file, and links between pages."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from pressroom.seo import with_trailing_slash
from pressroom.urls import site_path

CSS_PATH = "/css/screen.css"
SITE_INDEX_PATH = "/"
COLLECTIONS_ROOT = "/learn/"
RESERVED = re.compile(re.escape(COLLECTIONS_ROOT) + r"[^/]+/?")


def page_path(url: str, trailing_slash: str = "keep") -> str:
    """The percent-encoded site path of an article page; ValueError when `url` is not one."""
    return urlsplit(with_trailing_slash(site_path(url), trailing_slash)).path


def article_path(url: str, trailing_slash: str = "keep") -> str | None:
    """An article page's site path, or None when its url is no path on this site or is one
    the site keeps for itself (the site index, `/learn/<collection>` indexes)."""
    try:
        path = page_path(url, trailing_slash)
    except ValueError:
        return None
    if path == SITE_INDEX_PATH or RESERVED.fullmatch(path):
        return None
    return path


def collection_path(slug: str, trailing_slash: str = "keep") -> str:
    """The site path of a collection's index: `/learn/<slug>`, a JSON-LD breadcrumb's crumb."""
    return with_trailing_slash(COLLECTIONS_ROOT + slug, trailing_slash)


def file_for(path: str) -> str:
    """The output file, relative to the html folder, that serves site path `path`.

    `/a/b` is served from `a/b.html` and `/a/b/` from `a/b/index.html`, which is what
    static hosts with clean URLs (and `pressroom serve`) look up.
    """
    relative = unquote(path).lstrip("/")
    if not relative or relative.endswith("/"):
        return relative + "index.html"
    return relative + ".html"


def href(source: str, target: str) -> str:
    """A relative link from the page at site path `source` to site path `target`.

    Relative links keep working when the site is published below a path prefix. The
    last segment is always spelled out, so `/learn/maths` from inside `/learn/maths/…`
    is `../../maths`, never `..` (which would mean `/learn/maths/`).
    """
    base = source.rsplit("/", 1)[0].lstrip("/") or "."
    folder, _, name = target.lstrip("/").rpartition("/")
    up = posixpath.relpath(folder or ".", base)
    link = name if up == "." else f"{up}/{name}"
    if not link:
        return "./"
    return "./" + link if ":" in link.split("/", 1)[0] else link  # never a scheme `a:`
