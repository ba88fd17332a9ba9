"""The Jekyll profile: posts dated by file name, `permalink` styles, categories, collections.

`_config.yml` gives the permalink style, collections and scoped `defaults`; `_drafts/`
and `published: false` are not articles unless the build asks for drafts.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from pressroom.errors import ContentError
from pressroom.model import Article, Skipped
from pressroom.profiles.fields import (
    calendar_date,
    first_date,
    first_text,
    line_of,
    parse_id,
    parse_moment,
    split_keywords,
    text,
    title_from_body,
)
from pressroom.profiles.permalinks import clean_url, expand, url_slug
from pressroom.profiles.site import Site

NAME = "jekyll"
URL_FIELDS = ("permalink",)
ORDER = "date"
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_POST_NAME = re.compile(r"(\d{4}-\d{1,2}-\d{1,2})-(.+)")
_ALWAYS_READ = frozenset({"_posts", "_drafts"})
_NEVER_READ = frozenset({"_site", "node_modules", "vendor", ".jekyll-cache"})
_MAPPED = frozenset({
    "id", "title", "date", "last_modified_at", "tags", "tag", "keywords", "description",
    "excerpt", "slug", "permalink", "author", "subject", "category", "categories",
    "published",
})


def detect(meta: Mapping[str, Any]) -> bool:
    """Jekyll is chosen by the site (`_config.yml`, `_posts/`), never by one page's fields."""
    return False


def _collections(site: Site) -> Mapping[str, Any]:
    found = site.config.get("collections")
    if isinstance(found, list):
        return {str(name): {} for name in found}
    return found if isinstance(found, Mapping) else {}


def skip_folder(name: str, site: Site) -> bool:
    """Folders Jekyll does not read: `_`-prefixed ones but posts, drafts and collections."""
    excluded = site.config.get("exclude")
    if name in _NEVER_READ or (isinstance(excluded, list) and name in excluded):
        return True
    return name.startswith("_") and name not in _ALWAYS_READ \
        and name[1:] not in _collections(site)


def _kind(relative: PurePosixPath, site: Site) -> tuple[str, int]:
    """What a file is: `posts`, `drafts`, a collection name or `pages`, and its folder's index."""
    for index, part in enumerate(relative.parts[:-1]):
        if part in ("_posts", "_drafts"):
            return part[1:], index
        if part.startswith("_") and part[1:] in _collections(site):
            return part[1:], index
    return "pages", -1


def _defaults(relative: PurePosixPath, kind: str, site: Site) -> dict[str, Any]:
    """The `defaults` values whose scope (path prefix, type) covers this file."""
    entries = site.config.get("defaults")
    chosen: list[tuple[int, int, Mapping[str, Any]]] = []
    for n, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("values"), Mapping):
            continue
        scope = entry.get("scope") if isinstance(entry.get("scope"), Mapping) else {}
        path, wanted = str(scope.get("path") or ""), scope.get("type")
        if wanted and wanted != kind:
            continue
        if path and not (relative.as_posix() + "/").startswith(path.strip("/") + "/"):
            continue
        chosen.append((len(path.strip("/")) * 2 + bool(wanted), n, entry["values"]))
    merged: dict[str, Any] = {}
    for _, _, values in sorted(chosen, key=lambda item: item[:2]):
        merged.update(values)
    return merged


def _categories(meta: Mapping[str, Any], relative: PurePosixPath, folder: int) -> list[str]:
    """Categories from the folders above `_posts` and from `category`/`categories`."""
    found = list(relative.parts[:folder]) if folder > 0 else []
    for key in ("category", "categories"):
        value = meta.get(key)
        found += value.split() if isinstance(value, str) else split_keywords(value)
    return list(dict.fromkeys(text(c) for c in found if text(c)))


def _in_site_zone(moment: dt.date | None, site: Site) -> dt.date | None:
    """An offset date-time in the site's `timezone` (as Jekyll dates posts), else as written."""
    zone = site.config.get("timezone")
    if isinstance(moment, dt.datetime) and moment.tzinfo is not None and zone:
        try:
            return moment.astimezone(zoneinfo.ZoneInfo(str(zone)))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return moment
    return moment


def _pattern(meta: Mapping[str, Any], kind: str, site: Site) -> str:
    """The permalink pattern: the page's own, its collection's, else from the site's style."""
    options = _collections(site).get(kind)
    own = first_text(meta, "permalink") or (
        text(options.get("permalink")) if isinstance(options, Mapping) else "")
    if own:
        return STYLES.get(own, own)
    style = text(site.config.get("permalink")) or "date"
    if kind in ("posts", "drafts"):
        return STYLES.get(style, style)
    pretty = style == "pretty" or style.endswith("/")
    if kind == "pages":
        return "/:path/:basename/" if pretty else "/:path/:basename:output_ext"
    return "/:collection/:path/" if pretty else "/:collection/:path:output_ext"


def _values(relative: PurePosixPath, folder: int, kind: str, slug: str, categories: list[str],
            date: dt.date | None) -> dict[str, str]:
    inner = PurePosixPath(*relative.parts[folder + 1:]) if folder >= 0 else relative
    path = inner.parent.as_posix() if kind == "pages" else inner.with_suffix("").as_posix()
    basename = relative.stem
    values = {
        "title": slug, "slug": slug.lower(), "name": basename, "basename": basename,
        "categories": "/".join(c.lower() for c in categories), "output_ext": ".html",
        "collection": kind, "path": "" if path == "." else path,
    }
    if kind == "pages" and basename == "index":
        values["basename"] = ""
        values["output_ext"] = ""
    if date is not None:
        values.update(year=f"{date.year:04d}", month=f"{date.month:02d}",
                      day=f"{date.day:02d}", i_month=str(date.month), i_day=str(date.day),
                      short_year=f"{date.year % 100:02d}",
                      y_day=f"{date.timetuple().tm_yday:03d}",
                      week=f"{date.isocalendar()[1]:02d}", short_day=date.strftime("%a"))
    return values


def to_article(meta: Mapping[str, Any], body: str, source: Path, lines: dict[str, int],
               site: Site) -> Article | Skipped:
    """Map a Jekyll post, draft, collection document or page and its Markdown body."""
    relative = PurePosixPath((site.relative(source) or Path(source.name)).as_posix())
    kind, folder = _kind(relative, site)
    meta = {**_defaults(relative, kind, site), **meta}
    if not site.drafts and (kind == "drafts" or meta.get("published") is False):
        return Skipped(source, "a draft or unpublished (build with --drafts to include it)")
    options = _collections(site).get(kind)
    if kind not in ("posts", "drafts", "pages") and not (
            isinstance(options, Mapping) and options.get("output") is True):
        return Skipped(source, f"the collection {kind!r} is not output (output: true)")
    named = _POST_NAME.fullmatch(relative.stem) if kind == "posts" else None
    if kind == "posts" and named is None:
        raise ContentError(source, None, "a post's file name must start with its date",
                           "name it YYYY-MM-DD-title.md, as Jekyll requires")
    slug = first_text(meta, "slug") or (named.group(2) if named else relative.stem)
    moment = parse_moment(meta.get("date"), source, line_of(lines, "date"))
    if moment is None and named is not None:
        moment = parse_moment(named.group(1), source, line_of(lines, "date"))
    date = calendar_date(_in_site_zone(moment, site))
    title = first_text(meta, "title")
    if not title and (found := title_from_body(body)) is not None:
        title, body = found
    title = title or " ".join(w.capitalize() for w in re.split(r"[-_\s]+", slug) if w)
    if not body.strip():
        raise ContentError(source, line_of(lines, "title"), "the article body is empty",
                           "write the article below the closing `---`")
    categories = _categories(meta, relative, folder)
    url = clean_url(expand(_pattern(meta, kind, site),
                           _values(relative, folder, kind, slug, categories, date)))
    key = url_slug(url)
    return Article(
        id=parse_id(meta.get("id"), source, line_of(lines, "id")),
        key=key,
        slug=key,
        title=title,
        question=title,
        body_md=body,
        subject=first_text(meta, "subject") or (categories[0].title() if categories
                                                else kind.replace("_", " ").title()),
        url=url,
        source=source,
        profile=NAME,
        date=date,
        author=_author(meta.get("author")),
        description=first_text(meta, "description", "excerpt"),
        keywords=tuple(dict.fromkeys(_tags(meta))),
        lines=dict(lines),
        extra={key: value for key, value in meta.items() if key not in _MAPPED},
        modified=first_date(meta, lines, source, "last_modified_at"),
        section=relative.parts[0].lstrip("_") if len(relative.parts) > 1 else "",
    )


def _tags(meta: Mapping[str, Any]) -> list[str]:
    found: list[str] = []
    for key in ("tags", "tag", "keywords"):
        value = meta.get(key)
        found += value.split() if isinstance(value, str) and key != "keywords" \
            else list(split_keywords(value))
    return found


def _author(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(name for name in (text(item) for item in value) if name)
    if isinstance(value, Mapping):
        return text(value.get("name"))
    return text(value)
