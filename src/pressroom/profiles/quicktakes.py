"""The QuickTakes profile: the article lives in the front matter, the answer on one line."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pressroom.errors import ContentError
from pressroom.model import Article, DecodeNote, RelatedLink
from pressroom.profiles.fields import (
    first_text,
    line_of,
    parse_date,
    parse_id,
    related_id,
    require,
    split_keywords,
    text,
)
from pressroom.profiles.newlines import decode_answer
from pressroom.profiles.site import Site
from pressroom.slugs import safe_slug

NAME = "quicktakes"
URL_FIELDS = ("url",)  # where the url comes from
ORDER = "id"

_RELATED = re.compile(r"related_article(\d+)")
_MAPPED = frozenset(
    {
        "_schema", "id", "date", "title", "article_title", "question", "answer", "subject",
        "url", "file_name", "seo", "author", "date_format", "post_on_text", "score",
    }
)
_SEO_MAPPED = frozenset({"title", "page_description", "page_keywords"})
_EMPTY_BODY = re.compile(r"(?:\s|&nbsp;)*")


def detect(meta: Mapping[str, Any]) -> bool:
    """QuickTakes front matter has an `answer`, or a `question` next to a `url`."""
    return "answer" in meta or ("question" in meta and "url" in meta)


def skip_folder(name: str, site: Site) -> bool:
    """Every folder below the content root is read."""
    return False


def to_article(
    meta: Mapping[str, Any], body: str, source: Path, lines: dict[str, int],
    site: Site | None = None,
) -> Article:
    """Map QuickTakes front matter (and a usually empty body) to an Article."""
    url = require(meta, source, lines, "url")
    title = require(meta, source, lines, "title", "article_title", "question")
    subject = require(meta, source, lines, "subject")
    extra, numbered = _unmapped(meta)
    notes: tuple[DecodeNote, ...] = ()
    if _EMPTY_BODY.fullmatch(body):
        answer = require(meta, source, lines, "answer")
        body_md, notes = decode_answer(answer, line_of(lines, "answer"))
    else:
        body_md = body
        if "answer" in meta:
            extra["answer"] = meta["answer"]
    seo = meta.get("seo")
    if not isinstance(seo, Mapping):
        seo = {}
        if meta.get("seo") is not None:
            extra["seo"] = meta["seo"]
    elif seo.keys() - _SEO_MAPPED:
        extra["seo"] = {key: value for key, value in seo.items() if key not in _SEO_MAPPED}
    slug = safe_slug(url.rstrip("/").rsplit("/", 1)[-1])
    date_format = text(meta.get("date_format"))
    optional = {"date_format": date_format} if date_format else {}
    return Article(
        id=parse_id(meta.get("id"), source, line_of(lines, "id"), numeric=True),
        key=slug,
        slug=slug,
        title=title,
        question=first_text(meta, "question", "title", "article_title"),
        body_md=body_md,
        subject=subject,
        url=url,
        source=source,
        profile=NAME,
        date=parse_date(meta.get("date"), source, line_of(lines, "date")),
        author=text(meta.get("author")),
        description=text(seo.get("page_description")),
        keywords=split_keywords(seo.get("page_keywords")),
        related=_related(meta, numbered, source, lines),
        score=_score(meta.get("score"), source, line_of(lines, "score")),
        file_name=text(meta.get("file_name")),
        posted_label=text(meta.get("post_on_text")),
        seo_title=text(seo.get("title")),
        lines=dict(lines),
        extra=extra,
        decode_notes=notes,
        **optional,
    )


def _unmapped(meta: Mapping[str, Any]) -> tuple[dict[Any, Any], list[tuple[int, str]]]:
    """The front matter no field takes (in its order), and the related_articleN keys with
    their numbers, in one pass over the keys."""
    extra: dict[Any, Any] = {}
    numbered: list[tuple[int, str]] = []
    for key, value in meta.items():
        if key in _MAPPED:
            continue
        match = _RELATED.fullmatch(key) if isinstance(key, str) else None
        if match is None:
            extra[key] = value
        else:
            numbered.append((int(match.group(1)), key))
    return extra, numbered


def _score(value: Any, source: Path, line: int) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ContentError(
            source, line, f"score must be a number, got {value!r}", "write e.g. `score: -1.0`"
        ) from None


def _related(
    meta: Mapping[str, Any], numbered: list[tuple[int, str]], source: Path,
    lines: dict[str, int],
) -> tuple[RelatedLink, ...]:
    """related_article1..N (`numbered`: (N, key) pairs) in numeric order, deduplicated by
    id (first wins)."""
    links: dict[Any, RelatedLink] = {}
    for _, key in sorted(numbered):
        entry = meta[key]
        if entry is None:
            continue
        if not isinstance(entry, Mapping):
            raise ContentError(
                source,
                line_of(lines, key),
                f"{key} must be a mapping, got {type(entry).__name__}",
                "give it `id`, `title`, `subject` and `url` keys",
            )
        link = RelatedLink(
            id=related_id(entry.get("id")),
            title=text(entry.get("title")),
            subject=text(entry.get("subject")),
            url=text(entry.get("url")),
        )
        links.setdefault(link.id if link.id is not None else link.url, link)
    return tuple(links.values())
