"""HTML exporter: a static study site, one page per article at its URL path, JSON-LD inside."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from pressroom.errors import ContentWarning
from pressroom.exporter import ExportContext, Exporter, ExporterOptions
from pressroom.lastmod import LastModified
from pressroom.model import Article, Book
from pressroom.pagegraph import GraphOptions, page_facts
from pressroom_html.documents import (
    Crumb,
    Entry,
    article_page,
    collection_page,
    site_links,
    site_page,
)
from pressroom_html.paths import (
    CSS_PATH,
    SITE_INDEX_PATH,
    collection_path,
    file_for,
    href,
    page_path,
)

__all__ = ["HtmlExporter", "HtmlOptions"]


@dataclass
class HtmlOptions(GraphOptions):
    """Site facts, policy and graph shape as for jsonld (give both the same), and the
    site index's title, `site_title`."""

    site_title: str = "Study guides"


class HtmlExporter(Exporter):
    """Writes html/: every article at its URL path, an index per collection, a site index.

    `/learn/<subject>/questions/<slug>` is written to `learn/<subject>/questions/<slug>.html`,
    collection indexes to `learn/<collection>.html` (the JSON-LD breadcrumb's middle step)
    and the site index to `index.html`, with the theme's screen CSS at `css/screen.css`.
    Each page embeds the graph the jsonld exporter writes for it (pressroom.pagegraph).
    """

    name = "html"
    suffix = ".html"
    binary = False
    math = "mathml"
    whole_site = True
    description = "static study site: a page per article with JSON-LD, indexes, screen CSS"
    Options: ClassVar[type[ExporterOptions]] = HtmlOptions

    def export(self, books: Sequence[Book], ctx: ExportContext) -> list[Path]:
        """Write every page of the site at once; return the files written."""
        options: HtmlOptions = self.options  # type: ignore[assignment]
        before = len(ctx.written)
        policy = options.trailing_slash
        taken = {file_for(SITE_INDEX_PATH)}
        taken.update(file_for(collection_path(book.slug, policy)) for book in books)
        paths = {book.slug: self._page_paths(book) for book in books}
        pages = {path for found in paths.values() for path in found.values()}
        entries = [Entry(book.title, href(SITE_INDEX_PATH, collection_path(book.slug, policy)),
                         f"{self._write_book(book, paths[book.slug], pages, ctx, taken)} "
                         "articles") for book in books]
        ctx.write(CSS_PATH.lstrip("/"), ctx.theme.css("screen"))
        language = books[0].language if books else "en"
        site = options.site(ctx.base_url, books[0].author if books else "", language)
        ctx.write(file_for(SITE_INDEX_PATH),
                  site_page(ctx.theme, entries, options.site_title, site.root, language))
        return ctx.written[before:]

    def _page_paths(self, book: Book) -> dict[str, str]:
        """The page path of each article of the book whose url is a path on this site."""
        options: HtmlOptions = self.options  # type: ignore[assignment]
        paths = {}
        for record in book.collection.articles:
            try:
                paths[record.key] = page_path(record.url, options.trailing_slash)
            except ValueError:
                continue
        return paths

    def _site_path(self, url: str) -> str | None:
        options: HtmlOptions = self.options  # type: ignore[assignment]
        try:
            return page_path(url, options.trailing_slash)
        except ValueError:
            return None

    def _write_book(self, book: Book, paths: dict[str, str], pages: set[str],
                    ctx: ExportContext, taken: set[str]) -> int:
        """Write a book's article pages and its index; return how many pages it has."""
        options: HtmlOptions = self.options  # type: ignore[assignment]
        site = options.site(ctx.base_url, book.author, book.language)
        lastmod = LastModified(options.lastmod, ctx.content_dir, ctx.warn, ctx.error)
        linked = site_links(book, paths, pages, self._site_path)
        index = collection_path(book.slug, options.trailing_slash)
        entries = []
        for rendered in book.articles:
            article = rendered.article
            source = paths.get(article.key)
            if source is None:
                _skip(ctx, article, f"{article.url!r} is no path on this site")
                continue
            if file_for(source) in taken:
                _skip(ctx, article, f"{article.url} is already a page of the site")
                continue
            taken.add(file_for(source))
            page = page_facts(rendered, book, site, options, lastmod(article))
            trail = [Crumb(options.site_title, href(source, SITE_INDEX_PATH)),
                     Crumb(book.collection.title, href(source, index))]
            ctx.write(file_for(source), article_page(ctx.theme, book, linked, rendered, page,
                                                     site, options, source, trail))
            entries.append(Entry(article.title or article.question, href(index, source),
                                 article.date.isoformat() if article.date else ""))
        ctx.write(file_for(index), collection_page(
            ctx.theme, book, index, entries,
            [Crumb(options.site_title, href(index, SITE_INDEX_PATH))], site.page_url(index)))
        return len(entries)


def _skip(ctx: ExportContext, article: Article, reason: str) -> None:
    """Warn, at the article's url line, that it gets no page."""
    ctx.warn(str(ContentWarning(article.source, article.line_of("url"),
                                f"{reason}: no HTML page written")))
