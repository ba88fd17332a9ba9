"""PDF exporter: one printable book per collection, typeset by WeasyPrint from the theme."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from weasyprint import CSS, HTML

from pressroom.exporter import ExportContext, Exporter, ExporterOptions
from pressroom.model import Book
from pressroom_pdf.document import book_html, image_owners
from pressroom_pdf.fetcher import RestrictedFetcher

__all__ = ["PdfExporter", "PdfOptions"]


@dataclass
class PdfOptions(ExporterOptions):
    """`max_articles`: a book with more articles is printed as several numbered volumes."""

    max_articles: int = 1000

    def __post_init__(self) -> None:
        if self.max_articles < 1:
            raise ValueError(f"pdf max_articles must be at least 1, not {self.max_articles!r}")


def volumes(book: Book, max_articles: int) -> list[tuple[str, Book]]:
    """The book as (file stem, book) volumes of at most `max_articles` articles each.

    A small book is one volume named after its slug; a large one becomes
    `<slug>-vol-1`, `<slug>-vol-2`… whose titles say "Volume i of n".
    """
    count = math.ceil(len(book.articles) / max_articles) if book.articles else 1
    if count == 1:
        return [(book.slug, book)]
    parts = []
    for n in range(count):
        chunk = book.articles[n * max_articles:(n + 1) * max_articles]
        title = f"{book.title}, Volume {n + 1} of {count}"
        parts.append((f"{book.slug}-vol-{n + 1}", replace(book, articles=chunk, title=title)))
    return parts


class PdfExporter(Exporter):
    """Cover, contents with page numbers, running heads, one bookmark per article."""

    name = "pdf"
    suffix = ".pdf"
    binary = True
    cpu_heavy = True
    math = "svg"
    description = "Printable A4 PDF per collection (WeasyPrint), in volumes past max_articles"
    Options: ClassVar[type[ExporterOptions]] = PdfOptions

    def export(self, books: Sequence[Book], ctx: ExportContext) -> list[Path]:
        """Write `<slug>.pdf` (or `<slug>-vol-N.pdf` volumes) for every book."""
        options = self.options
        assert isinstance(options, PdfOptions)
        return [self.export_book(volume, stem, ctx)
                for book in books for stem, volume in volumes(book, options.max_articles)]

    def export_book(self, book: Book, stem: str, ctx: ExportContext) -> Path:
        """Typeset one book (or volume) and write it atomically as `<stem>.pdf`."""
        base_url = ctx.content_dir.resolve().as_uri() + "/"
        fetcher = RestrictedFetcher([*ctx.theme.folders, ctx.content_dir], ctx.warn,
                                    image_owners(book, base_url))
        stylesheets = [CSS(url=path.resolve().as_uri(), url_fetcher=fetcher)
                       for path in ctx.theme.stylesheets("pdf")]
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
