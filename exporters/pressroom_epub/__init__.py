"""EPUB 3 exporter: one reproducible, EPUBCheck-clean, accessible study ebook per book."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from pressroom.books import split_volumes, volume_identifier
from pressroom.exporter import ExportContext, Exporter
from pressroom.model import Book
from pressroom_epub.a11y import epub_problems
from pressroom_epub.archive import package_bytes
from pressroom_epub.metadata import modified_utc
from pressroom_epub.options import EpubOptions
from pressroom_epub.package import build_package

__all__ = ["EpubExporter", "EpubOptions"]


class EpubExporter(Exporter[EpubOptions]):
    """Writes `<book.slug>.epub` for every book (or volume) it is given."""

    name = "epub"
    suffix = ".epub"
    cpu_heavy = True
    math = "mathml"
    description = ("EPUB 3 study ebook per collection: cover, title page, nav + NCX, keyword "
                   "index, study mode, volumes past max_articles")
    audits = ("a11y",)

    def parts(self, book: Book) -> list[Book]:
        """A book past `max_articles` becomes numbered volumes, each with its own identifier."""
        volumes = split_volumes(book, self.options.max_articles)
        if len(volumes) == 1:
            return volumes
        return [replace(v, identifier=volume_identifier(book.identifier, v.slug))
                for v in volumes]

    def export(self, books: Sequence[Book], ctx: ExportContext) -> None:
        """Write one EPUB per non-empty book."""
        for book in books:
            if not book.articles:
                ctx.warn(f"epub: book {book.slug!r} has no articles; no EPUB written")
                continue
            package = build_package(book, ctx, self.options)
            ctx.write(f"{book.slug}{self.suffix}", package_bytes(package, modified_utc(book)))

    def audit(self, check: str, path: Path) -> list[str]:
        """`a11y`: the accessibility rules, checked again on a finished book as a checker would."""
        if check != "a11y" or path.suffix != self.suffix:
            return []
        return epub_problems(path)
