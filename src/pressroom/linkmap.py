"""Where a link between pages goes: the site's pages by source path, URL and name.

A page links to another as a file (`../other.md`, `{% link _docs/x.md %}`), as a site path
(`/section/page/`), relative to its own URL (`../page/`), or by name (Hugo's `ref
"installing"`, Jekyll's `post_url`). The answer is a page of the site, a path on the site
outside the content, or nothing (the link is reported and unwrapped).
"""

from __future__ import annotations

import posixpath
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from pressroom.folding import Kind, fold
from pressroom.loader import MARKDOWN_SUFFIXES
from pressroom.model import ArticleRecord, SectionRecord
from pressroom.profiles.permalinks import clean_url
from pressroom.profiles.site import absolute
from pressroom.urls import site_path

Target = ArticleRecord | str | None  # a page, a site path outside the content, or nothing
NOT_FOUND: Kind = ("link", "unlinked: no page of the site has that path or name")
_INDEX_FILES = ("index", "_index")


def _url_key(url: str) -> str:
    path = unquote(url).removesuffix("index.html").removesuffix(".html")
    return path.rstrip("/") or "/"


def _source_key(path: str) -> str:
    """A source path without its Markdown suffix, so `x`, `x.md` and `x.markdown` meet."""
    for suffix in MARKDOWN_SUFFIXES:
        if path.lower().endswith(suffix):
            return path[: -len(suffix)]
    return path


class LinkMap:
    """Every page of a site by source path, URL and name."""

    def __init__(self, records: Sequence[ArticleRecord], root: Path | None,
                 sections: Iterable[SectionRecord] = ()) -> None:
        self.root = absolute(root) if root is not None else None
        self._by_source: dict[str, Target] = {}
        self._by_url: dict[str, ArticleRecord] = {}
        names: dict[str, list[ArticleRecord]] = defaultdict(list)
        for record in records:
            source = absolute(record.source)
            self._by_source[_source_key(source.as_posix())] = record
            self._by_url.setdefault(_url_key(record.url), record)
            stem = source.parent.name if source.stem in _INDEX_FILES else source.stem
            names[stem].append(record)
        for section in sections:
            url = clean_url("/".join(p.lower() for p in PurePosixPath(section.path).parts) + "/")
            self._by_source[_source_key(absolute(section.source).as_posix())] = url
        self._by_name = {name: found[0] for name, found in names.items() if len(found) == 1}

    def _file(self, path: str) -> Target:
        """The page whose source is `path` (an absolute posix path), as file or folder."""
        key = _source_key(posixpath.normpath(path))
        for candidate in (key, *(f"{key}/{name}" for name in _INDEX_FILES)):
            if candidate in self._by_source:
                return self._by_source[candidate]
        return None

    def target(self, record: ArticleRecord, href: str) -> Target:
        """Where `href`, written in `record`'s body, goes."""
        parts = urlsplit(href)
        path = unquote(parts.path)
        if not path:
            return record
        rest = (f"?{parts.query}" if parts.query else "") + (
            f"#{parts.fragment}" if parts.fragment else "")
        if path.startswith("/"):
            found: Target = self._by_url.get(_url_key(path))
            if found is None and self.root is not None:
                found = self._file(self.root.as_posix() + path)
            return found if found is not None else self._outside(path, rest)
        found = self._file(f"{absolute(record.source).parent.as_posix()}/{path}")
        if found is None and self.root is not None:  # Hugo's ref: then from the content root
            found = self._file(f"{self.root.as_posix()}/{path}")
        if found is not None:
            return found
        joined = urljoin(record.url, path)
        found = self._by_url.get(_url_key(joined)) or self._by_name.get(
            _source_key(PurePosixPath(path).name))
        return found if found is not None else self._outside(joined, rest)

    @staticmethod
    def _outside(path: str, rest: str) -> str | None:
        """A site path for a page the content does not hold; None for a missing source."""
        if _source_key(path) != path:
            return None
        try:
            return site_path(path) + rest
        except ValueError:
            return None


def resolve_page_links(records: Sequence[ArticleRecord], links: Mapping[str, tuple[str, ...]],
                       root: Path | None, sections: Iterable[SectionRecord] = ()
                       ) -> tuple[dict[str, dict[str, Target]], list[str]]:
    """Each article's body links resolved against the site, and one warning line per
    article for the links that lead nowhere. The site's map is made only when some
    article links to another page."""
    resolved: dict[str, dict[str, Target]] = {}
    warnings: list[str] = []
    if not links:
        return resolved, warnings
    linkmap = LinkMap(records, root, sections)
    for record in records:
        hrefs = links.get(record.key)
        if not hrefs:
            continue
        targets = {href: linkmap.target(record, href) for href in hrefs}
        resolved[record.key] = targets
        warnings += fold(record.source, [(NOT_FOUND, h) for h, t in targets.items() if t is None])
    return resolved, warnings
