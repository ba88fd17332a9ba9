"""Sitemap exporter: sitemaps.org 0.9 for every indexable page, split into an index at scale."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pressroom.errors import ContentWarning
from pressroom.exporter import ExportContext, Exporter
from pressroom.lastmod import LastModified, day
from pressroom.model import Article, Book
from pressroom.seo import Site, SiteOptions, exclusion
from pressroom.urls import check_base_url, site_path
from pressroom_sitemap.writer import (
    PROTOCOL_MAX_BYTES,
    PROTOCOL_MAX_URLS,
    Entry,
    chunk_entries,
    compressed,
    write_entries,
)

MAX_LOC = 2048
ENTRY_POINT = "sitemap.xml"


@dataclass
class SitemapOptions(SiteOptions):
    """Site policy (SiteOptions), where the files live, split limits, gzip and robots.txt."""

    public_path: str = "/"
    max_urls: int = PROTOCOL_MAX_URLS
    max_bytes: int = PROTOCOL_MAX_BYTES
    gzip: bool = False
    robots: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.max_urls <= PROTOCOL_MAX_URLS:
            raise ValueError(f"sitemap max_urls must be 1..{PROTOCOL_MAX_URLS}, "
                             f"not {self.max_urls!r}")
        if not 1024 <= self.max_bytes <= PROTOCOL_MAX_BYTES:
            raise ValueError(f"sitemap max_bytes must be 1024..{PROTOCOL_MAX_BYTES}, "
                             f"not {self.max_bytes!r}")
        super().__post_init__()
        site_path(self.public_path)


def _skip(ctx: ExportContext, article: Article, reason: str) -> None:
    """Warn, at the article's url line, that its page is left out of the sitemap."""
    ctx.warn(str(ContentWarning(article.source, article.line_of("url"),
                                f"{reason}: left out of the sitemap")))


def collect_entries(books: Sequence[Book], site: Site, lastmod: LastModified,
                    ctx: ExportContext) -> list[Entry]:
    """One entry per indexable page URL across all books, newest lastmod wins, sorted by loc."""
    dates: dict[str, str | None] = {}
    for book in books:
        for rendered in book.articles:
            article = rendered.article
            if exclusion(article, ctx.error) is not None:
                continue
            try:
                loc = site.page_url(article.url)
            except ValueError as exc:
                _skip(ctx, article, f"{exc}: {article.url!r}")
                continue
            if len(loc) > MAX_LOC:
                _skip(ctx, article, f"url longer than {MAX_LOC} characters")
                continue
            moment = lastmod(article)
            known = dates.get(loc)
            dates[loc] = max(filter(None, (known, day(moment) if moment else None)),
                             default=None)
    return [Entry(loc, dates[loc]) for loc in sorted(dates)]


class SitemapExporter(Exporter[SitemapOptions]):
    """Writes sitemap.xml: the urlset, or (past the limits, or with gzip) an index of parts."""

    name = "sitemap"
    suffix = ".xml"
    math = "tex"
    whole_site = True
    reads = "index"  # url, dates, lines and the INDEX_EXTRAS flags: body edits skip it
    description = "sitemaps.org XML sitemap for the whole site, with index, gzip and robots.txt"

    def export(self, books: Sequence[Book], ctx: ExportContext) -> None:
        """Write the sitemap file(s) for every book at once."""
        options = self.options
        check_base_url(ctx.base_url)
        site = options.site(ctx.base_url, "", "")
        lastmod = LastModified(options.lastmod, ctx.source_history, ctx.error)
        entries = collect_entries(books, site, lastmod, ctx)
        if not entries:
            ctx.warn("sitemap: no page has a usable url; no sitemap written")
            return
        chunks = chunk_entries(entries, options.max_urls, options.max_bytes)
        if len(chunks) == 1 and not options.gzip:
            with ctx.open(ENTRY_POINT) as handle:
                write_entries(handle, entries)
        else:
            _write_split(chunks, ctx, options, site)
        if options.robots:
            ctx.write("robots.txt", f"Sitemap: {_public_url(site, options, ENTRY_POINT)}\n")


def _write_split(chunks: list[list[Entry]], ctx: ExportContext, options: SitemapOptions,
                 site: Site) -> None:
    if len(chunks) > PROTOCOL_MAX_URLS:
        raise ValueError(f"{len(chunks)} sitemap files exceed the index limit of "
                         f"{PROTOCOL_MAX_URLS}; raise max_urls")
    suffix = ".xml.gz" if options.gzip else ".xml"
    parts = []
    for n, chunk in enumerate(chunks, start=1):
        name = f"sitemap-{n}{suffix}"
        with ctx.open(name) as handle, compressed(handle, options.gzip) as stream:
            write_entries(stream, chunk)
        newest = max((e.lastmod for e in chunk if e.lastmod), default=None)
        parts.append(Entry(_public_url(site, options, name), newest))
    with ctx.open(ENTRY_POINT) as handle:
        write_entries(handle, parts, index=True)


def _public_url(site: Site, options: SitemapOptions, name: str) -> str:
    return site.public_url(options.public_path.rstrip("/") + "/" + name)
