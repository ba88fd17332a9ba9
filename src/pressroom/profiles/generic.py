"""The generic profile for front-matter pages of no known site: the article is the body."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pressroom.errors import ContentError
from pressroom.model import Article
from pressroom.profiles.fields import (
    first_text,
    line_of,
    parse_date,
    parse_id,
    require,
    split_keywords,
    text,
    title_from_body,
)
from pressroom.profiles.site import Site
from pressroom.slugs import safe_slug

NAME = "generic"
DEFAULT_SUBJECT = "Articles"
URL_FIELDS = ("permalink", "url")  # where the url comes from, first wins
ORDER = "id"

_MAPPED = frozenset(
    {
        "id", "title", "date", "tags", "keywords", "description", "summary", "slug",
        "permalink", "url", "author", "subject", "category", "categories",
    }
)
# Folder names that say nothing about the subject.
_PLAIN_FOLDERS = frozenset({"", ".", "content", "posts", "_posts", "articles", "src", "docs"})


def detect(meta: Mapping[str, Any]) -> bool:
    """Any front matter fits the generic profile; it is the fallback."""
    return True


def skip_folder(name: str, site: Site) -> bool:
    """Every folder below the content root is read."""
    return False


def to_article(
    meta: Mapping[str, Any], body: str, source: Path, lines: dict[str, int],
    site: Site | None = None,
) -> Article:
    """Map Jekyll/Hugo/Eleventy front matter and its Markdown body to an Article.

    Without a `title`, a body that opens with a `# heading` gives it (and loses the line).
    """
    found = None if first_text(meta, "title") else title_from_body(body)
    if found is not None:
        title, body = found
    else:
        title = require(meta, source, lines, "title")
    if not body.strip():
        raise ContentError(
            source, line_of(lines, "title"), "the article body is empty",
            "write the article below the closing `---`",
        )
    url = first_text(meta, "permalink", "url")
    slug = safe_slug(
        first_text(meta, "slug") or url.rstrip("/").rsplit("/", 1)[-1] or source.stem
    )
    return Article(
        id=parse_id(meta.get("id"), source, line_of(lines, "id")),
        key=slug,
        slug=slug,
        title=title,
        question=title,
        body_md=body,
        subject=_subject(meta, source),
        url=url or "/" + slug,
        source=source,
        profile=NAME,
        date=parse_date(meta.get("date"), source, line_of(lines, "date")),
        author=_author(meta.get("author")),
        description=first_text(meta, "description", "summary"),
        keywords=split_keywords(meta.get("tags", meta.get("keywords"))),
        lines=dict(lines),
        extra={key: value for key, value in meta.items() if key not in _MAPPED},
    )


def _subject(meta: Mapping[str, Any], source: Path) -> str:
    """`subject`, `category`, the first of `categories`, else the folder name or "Articles"."""
    subject = first_text(meta, "subject", "category")
    if subject:
        return subject
    categories = split_keywords(meta.get("categories"))
    if categories:
        return categories[0]
    folder = source.parent.name
    if folder.lower() in _PLAIN_FOLDERS:
        return DEFAULT_SUBJECT
    return folder.replace("-", " ").replace("_", " ").strip().title() or DEFAULT_SUBJECT


def _author(value: Any) -> str:
    """An author name; a list of names is joined with commas."""
    if isinstance(value, list | tuple):
        return ", ".join(name for name in (text(item) for item in value) if name)
    return text(value)
