"""The newest N pages per collection and site-wide, chosen in one streamed pass, for feeds."""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from lxml import html as lxml_html

from pressroom.errors import ContentWarning
from pressroom.exporter import ExportContext, Exporter
from pressroom.lastmod import LastModified, Moment, timestamp
from pressroom.model import Book, RenderedArticle
from pressroom.pages import site_body
from pressroom.seo import Site, SiteOptions, exclusion, summary
from pressroom.urls import check_base_url, site_path

SITE_FEED = "feed"


@dataclass
class FeedOptions(SiteOptions):
    """Site facts and policy (SiteOptions), how many entries, and where feeds are served.

    `limit`: the newest N pages in each feed. `public_path`: the site folder the feed
    files are published under (for their self links).
    """

    limit: int = 20
    public_path: str = "/"

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 1 <= self.limit <= 10_000:
            raise ValueError(f"feed limit must be 1..10000, not {self.limit!r}")
        site_path(self.public_path)


@dataclass(frozen=True)
class FeedItem:
    """One feed entry: absolute links, a summary, the answer as HTML with math as TeX."""

    url: str
    title: str
    summary: str
    content_html: str
    published: Moment | None
    updated: Moment
    author: str
    tags: tuple[str, ...]
    collection: str


@dataclass(frozen=True)
class Feed:
    """A feed to write: `<slug>/feed` for a collection, `feed` for the whole site."""

    stem: str
    title: str
    site: Site
    items: tuple[FeedItem, ...]

    @property
    def updated(self) -> Moment:
        """The newest change among its entries."""
        return max((item.updated for item in self.items), key=timestamp)

    def self_url(self, options: FeedOptions, suffix: str) -> str:
        """The feed's own public URL."""
        return self.site.public_url(f"{options.public_path.rstrip('/')}/{self.stem}{suffix}")


def absolute_html(fragment: str, page_url: str) -> str:
    """A sanitised XHTML fragment with every link and image made absolute against its page."""
    if not fragment.strip():
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    root.make_links_absolute(page_url, resolve_base_href=False)
    text = root.text or ""
    return text + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)


class _Newest:
    """A bounded min-heap keeping the newest `limit` candidates offered to it."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.heap: list[tuple[Any, ...]] = []

    def offer(self, candidate: tuple[Any, ...]) -> None:
        if len(self.heap) < self.limit:
            heapq.heappush(self.heap, candidate)
        elif candidate > self.heap[0]:
            heapq.heapreplace(self.heap, candidate)

    def newest_first(self) -> list[tuple[Any, ...]]:
        return sorted(self.heap, reverse=True)


def _item(candidate: tuple[Any, ...], site: Site) -> FeedItem:
    _, _, rendered, url, updated, collection = candidate
    article = rendered.article
    return FeedItem(url, article.title or article.question, summary(article, rendered.text),
                    absolute_html(rendered.html, url), article.date, updated,
                    article.author or site.publisher, article.keywords, collection)


def newest_feeds(books: Sequence[Book], options: FeedOptions, ctx: ExportContext,
                 label: str) -> Iterator[Feed]:
    """Each collection's feed as soon as its book is read, then the site-wide feed.

    Pages excluded by front matter or whose url is not on the site are left out; a page's
    date is its publication date, else its last change. Iterates every article once.
    """
    lastmod = LastModified(options.lastmod, ctx.source_history, ctx.error)
    site_wide = _Newest(options.limit)
    counter = itertools.count()
    site: Site | None = None
    for book in books:
        site = site or options.site(ctx.base_url, book.author, book.language)
        newest = _Newest(options.limit)
        for rendered in book.articles:
            candidate = _candidate(rendered, book, site, lastmod, ctx, label)
            if candidate is not None:
                candidate = (*candidate[:1], next(counter), *candidate[1:])
                newest.offer(candidate)
                site_wide.offer(candidate)
        if newest.heap:
            yield Feed(f"{book.slug}/{SITE_FEED}", f"{site.name}: {book.collection.title}",
                       site, tuple(_item(c, site) for c in newest.newest_first()))
    if site is not None and site_wide.heap:
        yield Feed(SITE_FEED, site.name, site,
                   tuple(_item(c, site) for c in site_wide.newest_first()))


def _candidate(rendered: RenderedArticle, book: Book, site: Site, lastmod: LastModified,
               ctx: ExportContext, label: str) -> tuple[Any, ...] | None:
    """(sort key, article, URL, last change, collection), or None for a page left out."""
    article = rendered.article
    if exclusion(article, ctx.error) is not None:
        return None
    try:
        url = site.page_url(article.url)
    except ValueError as exc:
        ctx.warn(str(ContentWarning(article.source, article.line_of("url"),
                                    f"{exc}: {article.url!r}; left out of the {label} feeds")))
        return None
    updated = lastmod(article) or book.modified
    key = (timestamp(article.date or updated), timestamp(updated), url)
    rendered = replace(rendered, html=site_body(book, rendered))  # body links on the site
    return key, rendered, url, updated, book.collection.title


class FeedExporter(Exporter[FeedOptions]):
    """The shared body of the feed exporters: one file per collection, then the site's.

    A subclass sets `name`, `suffix`, `description` and implements `render`.
    """

    math = "tex"
    whole_site = True

    def render(self, feed: Feed, self_url: str) -> str:
        """The feed document as text."""
        raise NotImplementedError

    def export(self, books: Sequence[Book], ctx: ExportContext) -> None:
        """Write each collection's feed as its book is read, then the site's."""
        options = self.options
        check_base_url(ctx.base_url)
        feeds = 0
        for feed in newest_feeds(books, options, ctx, self.name):
            ctx.write(feed.stem + self.suffix, self.render(feed, feed.self_url(options,
                                                                              self.suffix)))
            feeds += 1
        if not feeds:
            ctx.warn(f"{self.name}: no page can be listed; no feed written")
