"""PDF exporter: one printable book per collection, typeset by WeasyPrint from the theme."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from weasyprint import CSS, HTML

from pressroom.exporter import ExportContext, Exporter
from pressroom.model import Book
from pressroom_pdf.document import book_html, image_owners
from pressroom_pdf.fetcher import RestrictedFetcher

__all__ = ["PdfExporter"]


class PdfExporter(Exporter):
    """Cover, contents with page numbers, running heads, one bookmark per article."""

    name = "pdf"
    suffix = ".pdf"
    binary = True
    math = "svg"
    description = "Printable A4 PDF per collection (WeasyPrint)"

    def export(self, books: Sequence[Book], ctx: ExportContext) -> list[Path]:
        """Write `<slug>.pdf` for every book."""
        return [self.export_book(book, ctx) for book in books]

    def export_book(self, book: Book, ctx: ExportContext) -> Path:
        """Typeset one book and write it atomically under the output folder."""
        base_url = ctx.content_dir.resolve().as_uri() + "/"
        fetcher = RestrictedFetcher([*ctx.theme.folders, ctx.content_dir], ctx.warn,
                                    image_owners(book, base_url))
        stylesheets = [CSS(url=path.resolve().as_uri(), url_fetcher=fetcher)
                       for path in ctx.theme.stylesheets("pdf")]
        document = HTML(string=book_html(ctx.theme, book), base_url=base_url,
                        url_fetcher=fetcher).render(stylesheets=stylesheets)
        relative = f"{book.slug}{self.suffix}"
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
