"""PDF exporter: one printable book per collection, typeset by WeasyPrint from the theme."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pressroom.books import book_runs, split_volumes
from pressroom.exporter import ExportContext, Exporter
from pressroom.model import Book
from pressroom_pdf.binding import assemble_book
from pressroom_pdf.options import PdfOptions
from pressroom_pdf.paper import Paper
from pressroom_pdf.printing import (
    ChunkResult,
    one_piece_css,
    typeset_chunk,
    whole_html,
)

__all__ = ["PdfExporter", "PdfOptions"]


class PdfExporter(Exporter[PdfOptions]):
    """Cover, title page, contents with page numbers, running heads, an outline by subject."""

    name = "pdf"
    suffix = ".pdf"
    cpu_heavy = True
    math = "svg"
    description = ("Printable PDF per collection (WeasyPrint), typeset in chunks in parallel, "
                   "in volumes past max_articles")

    def parts(self, book: Book) -> list[Book]:
        """A book past `max_articles` is printed as numbered volumes, each its own task."""
        return split_volumes(book, self.options.max_articles)

    def chunks(self, part: Book) -> list[Book]:
        """Runs of `chunk_articles` articles typeset apart (none for a small book)."""
        size = self.options.chunk_articles
        if len(part.articles) <= size:
            return []
        return book_runs(part, size)

    def export(self, books: Sequence[Book], ctx: ExportContext) -> None:
        """Write `<slug>.pdf` for every book (or volume) given, each typeset here."""
        for book in books:
            self.export_book(book, ctx)

    def export_book(self, book: Book, ctx: ExportContext) -> Path:
        """Typeset one book (chunk after chunk, in this process) and write it."""
        size = self.options.chunk_articles
        pieces = book_runs(book, size) or [book]
        return self._write(book, ctx, [self.export_chunk(piece, ctx) for piece in pieces])

    def export_chunk(self, chunk: Book, ctx: ExportContext) -> Any:
        """Typeset one run of articles as body pages."""
        return typeset_chunk(chunk, ctx, self.options)

    def assemble(self, part: Book, results: Sequence[Any], ctx: ExportContext) -> None:
        """Join the typeset chunks into the part's PDF (they are loaded as they are read)."""
        self._write(part, ctx, results)

    def _write(self, book: Book, ctx: ExportContext,
               results: Sequence[ChunkResult]) -> Path:
        relative = f"{book.slug}{self.suffix}"
        with ctx.open(relative) as handle:
            assemble_book(book, results, ctx, self.options, handle)
        if self.options.dump_html:
            self._dump(book, ctx)
        return ctx.path_for(relative)

    def _dump(self, book: Book, ctx: ExportContext) -> None:
        """Write the one-piece HTML with its stylesheets inlined (to time bare WeasyPrint)."""
        html, _ = whole_html(book, ctx)
        css = "\n".join(one_piece_css(ctx, Paper.of(self.options.paper,
                                                      self.options.mirror)))
        ctx.write(f"{book.slug}.html", html.replace("</head>", f"<style>\n{css}\n</style>\n"
                                                              "</head>", 1))


