"""The Hugo profile: URLs from section folders, bundles, `slug`, `url` and `[permalinks]`.

Front-matter keys are case-insensitive, as in Hugo. `_index.md` describes its section;
drafts, `build: {render: never}` and headless bundles are not articles.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from pressroom.errors import ContentError
from pressroom.model import Article, SectionRecord, Skipped
from pressroom.profiles.fields import (
    first_date,
    first_text,
    line_of,
    parse_id,
    parse_weight,
    split_keywords,
    text,
    title_from_body,
)
from pressroom.profiles.permalinks import clean_url, expand, path_segment, url_slug, urlize
from pressroom.profiles.site import Site

NAME = "hugo"
URL_FIELDS = ("url", "slug")
ORDER = "weight"
SECTION_FILE = "_index.md"
BUNDLE_FILE = "index.md"
DEFAULT_SUBJECT = "Pages"
_DATES = ("date", "publishdate", "pubdate", "published")
_MODIFIED = ("lastmod", "modified")
_MAPPED = frozenset({
    "id", "title", "linktitle", "date", "publishdate", "pubdate", "published", "lastmod",
    "modified", "tags", "keywords", "description", "summary", "slug", "url", "author",
    "authors", "subject", "weight", "draft", "build", "headless", "cascade",
})
_NEVER = ("never", False, "false")
_ZERO_DATE = dt.date(1, 1, 1)


def detect(meta: Mapping[str, Any]) -> bool:
    """Hugo is chosen by the site (hugo.toml, `_index.md`), never by one page's fields."""
    return False


def skip_folder(name: str, site: Site) -> bool:
    """Hugo reads every folder of the content tree."""
    return False


def _skip_reason(meta: Mapping[str, Any], site: Site) -> str | None:
    build = meta.get("build")
    if isinstance(build, Mapping) and build.get("render") in _NEVER:
        return "build.render is never: Hugo does not render it"
    if meta.get("headless") is True:
        return "a headless bundle: Hugo does not render it"
    if meta.get("draft") is True and not site.drafts:
        return "a draft (build with --drafts to include it)"
    return None


def _section(meta: Mapping[str, Any], source: Path, relative: PurePosixPath,
             lines: Mapping[str, int]) -> SectionRecord:
    folder = relative.parent.as_posix()
    folder = "" if folder == "." else folder
    title = first_text(meta, "title", "linktitle") or _pretty(relative.parent.name)
    return SectionRecord(source, folder, title, first_text(meta, "description", "summary"),
                         parse_weight(meta.get("weight"), source, line_of(lines, "weight")))


def _pretty(name: str) -> str:
    return name.replace("-", " ").replace("_", " ").strip().title()


def _page_segments(relative: PurePosixPath, slug: str, lower: bool) -> list[str]:
    """The URL path segments of a page from its place in the content tree."""
    folders = [path_segment(p, lower) for p in relative.parent.parts]
    if relative.name == BUNDLE_FILE:
        if slug and folders:
            folders[-1] = slug
        return folders
    return [*folders, slug or path_segment(relative.stem, lower)]


def _pattern(site: Site, section: str) -> str | None:
    """The `[permalinks]` pattern for pages of `section`, when the site sets one."""
    permalinks = site.config.get("permalinks")
    if not isinstance(permalinks, Mapping):
        return None
    pages = permalinks.get("page")
    table = pages if isinstance(pages, Mapping) else permalinks
    pattern = table.get(section)
    return str(pattern) if isinstance(pattern, str) else None


def _url(meta: Mapping[str, Any], relative: PurePosixPath, site: Site, title: str,
         date: Any) -> str:
    explicit = first_text(meta, "url")
    if explicit:
        return clean_url(explicit)
    lower = not site.config.get("disablepathtolower", False)
    slug = first_text(meta, "slug")
    parts = relative.parts
    section = parts[0] if len(parts) > 1 else ""
    pattern = _pattern(site, section)
    if pattern is None:
        return clean_url("/".join(_page_segments(relative, slug, lower)) + "/")
    name = relative.parent.name if relative.name == BUNDLE_FILE else relative.stem
    values = {
        "section": path_segment(section, lower),
        "sections": "/".join(path_segment(p, lower) for p in relative.parent.parts),
        "title": urlize(title), "slug": slug or urlize(title), "filename": name,
        "contentbasename": name, "slugorfilename": slug or name,
        "slugorcontentbasename": slug or name,
    }
    date = date or _ZERO_DATE  # as Hugo: an undated page has the zero time
    values.update(year=f"{date.year:04d}", month=f"{date.month:02d}", day=f"{date.day:02d}",
                  monthname=date.strftime("%B").lower())
    return clean_url(expand(pattern, values))


def to_article(meta: Mapping[str, Any], body: str, source: Path, lines: dict[str, int],
               site: Site) -> Article | SectionRecord | Skipped:
    """Map a Hugo page (or section file) and its Markdown body."""
    meta = {str(key).lower(): value for key, value in meta.items()}
    lines = {str(key).lower(): line for key, line in lines.items()}
    relative = PurePosixPath((site.relative(source) or Path(source.name)).as_posix())
    reason = _skip_reason(meta, site)
    if reason is not None:
        return Skipped(source, reason)
    if source.name == SECTION_FILE:
        return _section(meta, source, relative, lines)
    title = first_text(meta, "title", "linktitle")
    if not title and (found := title_from_body(body)) is not None:
        title, body = found
    if not title:
        raise ContentError(source, line_of(lines, "title"), "missing required field `title`",
                           "add `title: ...` to the front matter or open with a `# heading`")
    if not body.strip():
        raise ContentError(source, line_of(lines, "title"), "the article body is empty",
                           "write the article below the front matter")
    date = first_date(meta, lines, source, *_DATES)
    url = _url(meta, relative, site, title, date)
    slug = url_slug(url)
    section = relative.parts[0] if len(relative.parts) > 1 else ""
    return Article(
        id=parse_id(meta.get("id"), source, line_of(lines, "id")),
        key=slug,
        slug=slug,
        title=title,
        question=title,
        body_md=body,
        subject=first_text(meta, "subject") or (_pretty(section) if section
                                                else DEFAULT_SUBJECT),
        url=url,
        source=source,
        profile=NAME,
        date=date,
        author=_author(meta.get("author", meta.get("authors"))),
        description=first_text(meta, "description", "summary"),
        keywords=split_keywords(meta.get("tags")) + split_keywords(meta.get("keywords")),
        lines=lines,
        extra={key: value for key, value in meta.items() if key not in _MAPPED},
        modified=first_date(meta, lines, source, *_MODIFIED),
        weight=parse_weight(meta.get("weight"), source, line_of(lines, "weight")),
        section=section,
    )


def _author(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(name for name in (text(item) for item in value) if name)
    return text(value)
