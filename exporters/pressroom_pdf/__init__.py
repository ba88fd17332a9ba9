"""PDF exporter: one printable book per collection, typeset by WeasyPrint from the theme."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from weasyprint import CSS, HTML

from pressroom.books import split_volumes
from pressroom.exporter import ExportContext, Exporter, ExporterOptions
from pressroom.model import Book
from pressroom_pdf.document import ASSET_BASE, book_assets, book_html, image_owners
from pressroom_pdf.fetcher import RestrictedFetcher

__all__ = ["PdfExporter", "PdfOptions"]


@dataclass
class PdfOptions(ExporterOptions):
    """`max_articles`: a book with more articles is printed as several numbered volumes."""

    max_articles: int = 1000

    def __post_init__(self) -> None:
        if self.max_articles < 1:
            raise ValueError(f"pdf max_articles must be at least 1, not {self.max_articles!r}")


class PdfExporter(Exporter[PdfOptions]):
    """Cover, contents with page numbers, running heads, one bookmark per article."""

    name = "pdf"
    suffix = ".pdf"
    cpu_heavy = True
    math = "svg"
    description = "Printable A4 PDF per collection (WeasyPrint), in volumes past max_articles"

    def parts(self, book: Book) -> list[Book]:
        """A book past `max_articles` is printed as numbered volumes, each its own task."""
        return split_volumes(book, self.options.max_articles)

    def export(self, books: Sequence[Book], ctx: ExportContext) -> None:
        """Write `<slug>.pdf` for every book (or volume) given."""
        for book in books:
            self.export_book(book, book.slug, ctx)

    def export_book(self, book: Book, stem: str, ctx: ExportContext) -> Path:
        """Typeset one book (or volume) and write it atomically as `<stem>.pdf`."""
        fetcher = RestrictedFetcher(ctx.theme.folders, ctx.warn,
                                    image_owners(book, ASSET_BASE), book_assets(book, ASSET_BASE))
        base_url = ASSET_BASE
        stylesheets = [CSS(string=ctx.theme.stylesheet(path), base_url=path.resolve().as_uri(),
                           url_fetcher=fetcher) for path in ctx.theme.stylesheets("pdf")]
        document = HTML(string=book_html(ctx.theme, book), base_url=base_url,
                        url_fetcher=fetcher).render(stylesheets=stylesheets)
        relative = f"{stem}{self.suffix}"
        with ctx.open(relative) as handle, source_date_epoch(book.modified):
            document.write_pdf(handle)
        return ctx.path_for(relative)


@contextmanager
def source_date_epoch(moment: dt.datetime) -> Iterator[None]:
    """Pin SOURCE_DATE_EPOCH (unless set) so fontTools stamps embedded font subsets reproducibly."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
