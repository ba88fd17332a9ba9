"""The document model every stage shares: Article, Collection, RenderedArticle, Book."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class RelatedLink:
    """A pointer from one article to another, as the front matter gives it."""

    id: int | str | None
    title: str
    subject: str
    url: str

    def __reduce__(self) -> tuple[type[RelatedLink], tuple[Any, ...]]:
        """Pickled as its four values: a slots dataclass otherwise pickles through a Python
        `__getstate__` that lists its fields each time (a third of the cost)."""
        return (RelatedLink, (self.id, self.title, self.subject, self.url))


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
    modified: dt.date | None = None
    weight: int | None = None
    section: str = ""  # the top folder below the content root ("" for pages at its top)

    def line_of(self, name: str) -> int | None:
        """Line in the source file where field `name` starts, when known."""
        return self.lines.get(name)


@dataclass(frozen=True, slots=True)
class SectionRecord:
    """What a section file (Hugo's `_index.md`) says about its folder; not an article."""

    source: Path
    path: str  # the folder, relative to the content root ("" for the home page)
    title: str
    description: str = ""
    weight: int | None = None


@dataclass(frozen=True, slots=True)
class Skipped:
    """A source that is deliberately not an article: a draft, unpublished, never rendered."""

    source: Path
    reason: str


# Front-matter fields that whole-site SEO outputs read besides the index fields
# (seo.EXCLUDING_FLAGS, lastmod.MODIFIED_FIELDS): records carry them, so a sitemap reads
# only the index and a body edit does not rerun it.
INDEX_EXTRAS = ("sitemap", "noindex", "last_modified", "dateModified")


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """The light index entry of one article: what grouping, ordering and links need.

    `parsed` is the build-store key of the whole Article; a build holds one record per
    article in memory and fetches articles and fragments from the store one at a time.
    """

    parsed: str
    id: int | str | None
    key: str
    slug: str
    title: str
    question: str
    subject: str
    url: str
    source: str
    date: dt.date | None
    author: str
    file_name: str
    related: tuple[RelatedLink, ...]
    lines: Mapping[str, int]
    decode_notes: tuple[DecodeNote, ...] = ()
    modified: dt.date | None = None
    weight: int | None = None
    section: str = ""
    extras: tuple[tuple[str, Any], ...] = ()  # (name, value) of the INDEX_EXTRAS present

    @classmethod
    def of(cls, article: Article, parsed: str) -> ArticleRecord:
        """The record of a freshly parsed article."""
        lines = {k: v for k, v in article.lines.items()
                 if k in ("id", "url", "date") or k in INDEX_EXTRAS}
        extras = tuple((name, article.extra[name]) for name in INDEX_EXTRAS
                       if name in article.extra)
        return cls(parsed, article.id, article.key, article.slug, article.title,
                   article.question, article.subject, article.url, str(article.source),
                   article.date, article.author, article.file_name, article.related, lines,
                   article.decode_notes, article.modified, article.weight, article.section,
                   extras)

    def line_of(self, name: str) -> int | None:
        """Line in the source file where field `name` starts, when known."""
        return self.lines.get(name)

    def as_article(self) -> Article:
        """The article as far as the index knows it (no body, no SEO text; of the unmapped
        front matter only the INDEX_EXTRAS): what exporters that read the index get."""
        return Article(self.id, self.key, self.slug, self.title, self.question, "",
                       self.subject, self.url, Path(self.source), "", self.date, self.author,
                       related=self.related, file_name=self.file_name, lines=self.lines,
                       extra=dict(self.extras), decode_notes=self.decode_notes,
                       modified=self.modified, weight=self.weight, section=self.section)

    def apply(self, article: Article) -> Article:
        """The stored article with what the cross-file checks decided (key, subject spelling)."""
        if (article.key, article.subject, article.related) == (self.key, self.subject,
                                                               self.related):
            return article
        return replace(article, key=self.key, subject=self.subject, related=self.related)


@dataclass(frozen=True)
class Collection:
    """An ordered set of articles (or their index records) that becomes one book."""

    slug: str
    title: str
    articles: tuple[Article | ArticleRecord, ...]


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


@dataclass(frozen=True, slots=True)
class Asset:
    """A file an article embeds (an image): the `src` its html uses, and where the bytes are.

    `href` is relative to the content folder and is how the article's html names the file;
    an exporter places the file at that href beside the page (EPUB) or serves it by it
    (PDF). `data` holds the bytes when the task was shipped to another machine.
    """

    href: str
    path: Path
    data: bytes | None = None

    def read(self) -> bytes:
        """The file's bytes."""
        return self.data if self.data is not None else self.path.read_bytes()

    def embedded(self) -> Asset:
        """This asset with its bytes inside it (for a task that runs elsewhere)."""
        return self if self.data is not None else Asset(self.href, self.path, self.read())


@dataclass(frozen=True)
class RenderedArticle:
    """An article's body as sanitised XHTML, with what exporters need around it."""

    article: Article
    html: str
    text: str
    headings: tuple[Heading, ...]
    math: str
    has_math: bool = False
    assets: tuple[Asset, ...] = ()
    math_fallbacks: tuple[MathFallback, ...] = ()
    warnings: tuple[str, ...] = ()
    links: tuple[str, ...] = ()  # hrefs to other pages, resolved at export (render.links)


@dataclass(frozen=True, slots=True)
class RelatedTarget:
    """A related link resolved for one book: inside it (anchor) or on the site."""

    link: RelatedLink
    internal_key: str | None
    absolute_url: str
    title: str


@dataclass(frozen=True, slots=True)
class PageTarget:
    """Where a body link to another page goes in one book: a chapter, or a URL on the site
    (both None: the page is not found and the link is unwrapped)."""

    internal_key: str | None
    absolute_url: str | None


@dataclass(frozen=True)
class Book:
    """A collection's rendered articles: the unit an exporter turns into files.

    `articles` may be a lazy sequence that reads each article from the build store as it
    is reached; iterate it once, in order, where you can. `links` holds each article's
    related links resolved against this book and the site, by article key; `page_links`
    each article's links to other pages in its body (href → PageTarget). The site's
    address is `ExportContext.base_url`; links here are already absolute.
    """

    collection: Collection
    articles: Sequence[RenderedArticle]
    title: str
    author: str
    language: str
    identifier: str
    modified: dt.datetime
    links: Mapping[str, tuple[RelatedTarget, ...]]
    page_links: Mapping[str, Mapping[str, PageTarget]] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        """The collection slug, used for output file names."""
        return self.collection.slug

    def related_targets(self, article: Article) -> tuple[RelatedTarget, ...]:
        """An article's related links, resolved against this book and the site."""
        return self.links.get(article.key, ())
