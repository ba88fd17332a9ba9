"""HTML exporter: a static study site, one page per article at its URL path, JSON-LD inside."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pressroom.errors import ContentWarning
from pressroom.exporter import ExportContext, Exporter
from pressroom.lastmod import LastModified
from pressroom.model import Article, Book
from pressroom.pagegraph import GraphOptions, page_facts
from pressroom_html.documents import Crumb, Entry, article_page, collection_page, site_page
from pressroom_html.parts import CollectionIndex, PageRun, site_parts
from pressroom_html.paths import (
    CSS_PATH,
    SITE_INDEX_PATH,
    article_path,
    collection_path,
    file_for,
    href,
)

__all__ = ["HtmlExporter", "HtmlOptions"]


@dataclass
class HtmlOptions(GraphOptions):
    """Site facts, policy and graph shape as for jsonld (give both the same), the site
    index's `site_title`, and `pages_per_task`: how many pages one task writes."""

    site_title: str = "Study guides"
    pages_per_task: int = 25

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.pages_per_task < 1:
            raise ValueError(f"html pages_per_task must be 1 or more, "
                             f"not {self.pages_per_task!r}")


class HtmlExporter(Exporter[HtmlOptions]):
    """Writes html/: every article at its URL path, an index per collection, a site index.

    `/learn/<subject>/questions/<slug>` is written to `learn/<subject>/questions/<slug>.html`,
    collection indexes to `learn/<collection>.html` (the JSON-LD breadcrumb's middle step)
    and the site index to `index.html`, with the theme's screen CSS at `css/screen.css`.
    Each page embeds the graph the jsonld exporter writes for it (pressroom.pagegraph).
    """

    name = "html"
    suffix = ".html"
    math = "mathml"
    whole_site = True
    description = "static study site: a page per article with JSON-LD, indexes, screen CSS"

    def site_parts(self, books: Sequence[Book]) -> list[tuple[str, tuple[Book, ...]]]:
        """The site index, each collection's index, and each run of pages: one task each."""
        options = self.options
        return site_parts(books, options.trailing_slash, options.pages_per_task)

    def export(self, books: Sequence[Book], ctx: ExportContext) -> None:
        """Write the part of the site these books stand for."""
        runs = [book for book in books if isinstance(book, PageRun)]
        indexes = [book for book in books if isinstance(book, CollectionIndex)]
        for run in runs:
            self._write_pages(run, ctx)
        for book in indexes:
            self._write_index(book, ctx)
        if not runs and not indexes:
            self._write_site(books, ctx)

    def _write_site(self, books: Sequence[Book], ctx: ExportContext) -> None:
        options = self.options
        entries = []
        for book in books:
            index = collection_path(book.slug, options.trailing_slash)
            count = sum(article_path(r.url, options.trailing_slash) is not None
                        for r in book.collection.articles)
            entries.append(Entry(book.title, href(SITE_INDEX_PATH, index), f"{count} articles"))
        language = books[0].language if books else "en"
        site = options.site(ctx.base_url, books[0].author if books else "", language)
        ctx.write(CSS_PATH.lstrip("/"), ctx.theme.css("screen"))
        ctx.write(file_for(SITE_INDEX_PATH),
                  site_page(ctx.theme, entries, options.site_title, site.root, language))

    def _write_index(self, book: Book, ctx: ExportContext) -> None:
        options = self.options
        index = collection_path(book.slug, options.trailing_slash)
        entries = []
        for record in book.collection.articles:
            path = article_path(record.url, options.trailing_slash)
            if path is not None:
                entries.append(Entry(record.title or record.question, href(index, path),
                                     record.date.isoformat() if record.date else ""))
        site = options.site(ctx.base_url, book.author, book.language)
        ctx.write(file_for(index), collection_page(
            ctx.theme, book, index, entries,
            [Crumb(options.site_title, href(index, SITE_INDEX_PATH))], site.page_url(index)))

    def _write_pages(self, run: Book, ctx: ExportContext) -> None:
        options = self.options
        site = options.site(ctx.base_url, run.author, run.language)
        lastmod = LastModified(options.lastmod, ctx.source_history, ctx.error)
        index = collection_path(run.slug, options.trailing_slash)
        for rendered in run.articles:
            article = rendered.article
            source = article_path(article.url, options.trailing_slash)
            if source is None:
                _skip(ctx, article)
                continue
            page = page_facts(rendered, run, site, options, lastmod(article))
            trail = [Crumb(options.site_title, href(source, SITE_INDEX_PATH)),
                     Crumb(run.collection.title, href(source, index))]
            ctx.write(file_for(source), article_page(ctx.theme, run, rendered, page, site,
                                                     options, source, trail))


def _skip(ctx: ExportContext, article: Article) -> None:
    """Warn, at the article's url line, that it gets no page."""
    ctx.warn(str(ContentWarning(
        article.source, article.line_of("url"),
        f"{article.url!r} is no path on this site, or one kept for the site's indexes: "
        "no HTML page written")))
