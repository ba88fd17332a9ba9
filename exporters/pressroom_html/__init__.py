"""HTML exporter: a static study site, one page per article at its URL path, JSON-LD inside."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from pressroom.errors import ContentWarning
from pressroom.exporter import ExportContext, Exporter, ExporterOptions
from pressroom.jsonld import Site
from pressroom.model import Article, Book
from pressroom_html.documents import article_page, collection_page, site_links, site_page
from pressroom_html.paths import (
    CSS_PATH,
    SITE_INDEX_PATH,
    collection_path,
    file_for,
    page_path,
)

__all__ = ["HtmlExporter", "HtmlOptions"]


@dataclass
class HtmlOptions(ExporterOptions):
    """`[tool.pressroom.exporters.html]`: the site index's title."""

    site_title: str = "Study guides"


class HtmlExporter(Exporter):
    """Writes html/: every article at its URL path, an index per collection, a site index.

    `/learn/<subject>/questions/<slug>` is written to `learn/<subject>/questions/<slug>.html`,
    collection indexes to `learn/<collection>.html` (the JSON-LD breadcrumb's middle step)
    and the site index to `index.html`, with the theme's screen CSS at `css/screen.css`.
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
        taken = {file_for(SITE_INDEX_PATH)}
        taken.update(file_for(collection_path(book.slug)) for book in books)
        paths = {book.slug: _page_paths(book) for book in books}
        pages = {path for found in paths.values() for path in found.values()}
        counts = {book.slug: self._write_book(book, paths[book.slug], pages, ctx, taken,
                                              options) for book in books}
        ctx.write(CSS_PATH.lstrip("/"), ctx.theme.css("screen"))
        ctx.write(file_for(SITE_INDEX_PATH),
                  site_page(ctx.theme, books, counts, options.site_title, ctx.base_url,
                            books[0].language if books else "en"))
        return ctx.written[before:]

    def _write_book(self, book: Book, paths: dict[str, str], pages: set[str],
                    ctx: ExportContext, taken: set[str], options: HtmlOptions) -> int:
        """Write a book's article pages and its index; return how many pages it has."""
        site = Site(ctx.base_url, book.author, book.language, "WebPage")
        linked = site_links(book, paths, pages)
        entries = []
        for rendered in book.articles:
            article = rendered.article
            path = paths.get(article.key)
            if path is None:
                _skip(ctx, article, f"{article.url!r} is no path on this site")
                continue
            if file_for(path) in taken:
                _skip(ctx, article, f"{article.url} is already a page of the site")
                continue
            taken.add(file_for(path))
            ctx.write(file_for(path), article_page(ctx.theme, book, linked, rendered, site,
                                                   options.site_title))
            date = article.date.isoformat() if article.date else ""
            entries.append((article.title or article.question, path, date))
        ctx.write(file_for(collection_path(book.slug)),
                  collection_page(ctx.theme, book, entries, options.site_title))
        return len(entries)


def _page_paths(book: Book) -> dict[str, str]:
    """The page path of each article of the book whose url is a path on this site."""
    paths = {}
    for record in book.collection.articles:
        try:
            paths[record.key] = page_path(record.url)
        except ValueError:
            continue
    return paths


def _skip(ctx: ExportContext, article: Article, reason: str) -> None:
    """Warn, at the article's url line, that it gets no page."""
    ctx.warn(str(ContentWarning(article.source, article.line_of("url"),
                                f"{reason}: no HTML page written")))
