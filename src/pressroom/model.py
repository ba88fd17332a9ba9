"""The document model every stage shares: Article, Collection, RenderedArticle, Book."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class RelatedLink:
    """A pointer from one article to another, as the front matter gives it."""

    id: int | str | None
    title: str
    subject: str
    url: str


@dataclass(frozen=True)
class DecodeNote:
    """A `\\n` escape in math the decoder had to guess at: what it read, by which rule, why."""

    offset: int  # where the escape starts in the field's raw text
    written: str  # the raw text from the escape on, e.g. \nu(t)
    reading: str  # e.g. newline + "u(t)", or TeX \nu
    rule: str  # the name of the rule that decided
    why: str
    line: int | None = None  # the line of the field in the source file, when known

    def __str__(self) -> str:
        return f'read "{self.written}" as {self.reading} ({self.why})'


@dataclass(frozen=True)
class Article:
    """One loaded, validated article; immutable from here on."""

    id: int | str | None
    key: str
    slug: str
    title: str
    question: str
    body_md: str
    subject: str
    url: str
    source: Path
    profile: str
    date: dt.date | None = None
    author: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    related: tuple[RelatedLink, ...] = ()
    score: float | None = None
    file_name: str = ""
    date_format: str = "YYYY-MM-DD"
    posted_label: str = ""
    seo_title: str = ""
    lines: Mapping[str, int] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)
    decode_notes: tuple[DecodeNote, ...] = ()

    def line_of(self, name: str) -> int | None:
        """Line in the source file where field `name` starts, when known."""
        return self.lines.get(name)


@dataclass(frozen=True)
class Collection:
    """An ordered set of articles that becomes one book."""

    slug: str
    title: str
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Heading:
    """A heading inside a rendered article."""

    level: int
    id: str
    text: str


@dataclass(frozen=True)
class MathFallback:
    """A math span the converter could not handle, kept visibly as TeX."""

    tex: str
    reason: str


@dataclass(frozen=True)
class RenderedArticle:
    """An article's body as sanitised XHTML, with what exporters need around it."""

    article: Article
    html: str
    text: str
    headings: tuple[Heading, ...]
    math: str
    has_math: bool = False
    assets: tuple[Path, ...] = ()
    math_fallbacks: tuple[MathFallback, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelatedTarget:
    """A related link resolved for one book: inside it (anchor) or on the site."""

    link: RelatedLink
    internal_key: str | None
    absolute_url: str


@dataclass(frozen=True)
class Book:
    """A collection's rendered articles: the unit an exporter turns into files."""

    collection: Collection
    articles: tuple[RenderedArticle, ...]
    title: str
    author: str
    language: str
    base_url: str
    identifier: str
    modified: dt.datetime

    @property
    def slug(self) -> str:
        """The collection slug, used for output file names."""
        return self.collection.slug

    @cached_property
    def _key_index(self) -> tuple[dict[str, str], dict[Any, str]]:
        by_url = {r.article.url: r.article.key for r in self.articles}
        by_id = {r.article.id: r.article.key for r in self.articles if r.article.id is not None}
        return by_url, by_id

    def related_targets(self, article: Article) -> list[RelatedTarget]:
        """Resolve an article's related links against this book and the site."""
        by_url, by_id = self._key_index
        targets = []
        for link in article.related:
            key = by_url.get(link.url) or by_id.get(link.id)
            targets.append(RelatedTarget(link, key, absolute_url(self.base_url, link.url)))
        return targets


def absolute_url(base_url: str, path: str) -> str:
    """Join a site path to the base URL with exactly one slash between them."""
    if not path:
        return base_url.rstrip("/") + "/"
    return base_url.rstrip("/") + "/" + path.lstrip("/")
