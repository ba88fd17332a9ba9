"""EPUB 3 exporter: one reproducible, EPUBCheck-clean ebook per book, built with ebooklib."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from pressroom.exporter import ExportContext, Exporter, ExporterOptions
from pressroom.model import Book
from pressroom_epub.archive import package_bytes
from pressroom_epub.metadata import modified_utc
from pressroom_epub.package import build_package

__all__ = ["EpubExporter", "EpubOptions"]


@dataclass
class EpubOptions(ExporterOptions):
    """`[tool.pressroom.exporters.epub]`: the contents page title and the generated cover image."""

    toc_title: str = "Contents"
    cover_image: bool = True


class EpubExporter(Exporter):
    """Writes `<book.slug>.epub` for every book it is given."""

    name = "epub"
    suffix = ".epub"
    binary = True
    cpu_heavy = True
    math = "mathml"
    description = "EPUB 3 ebook per collection: cover, nav + NCX, theme CSS, internal links"
    Options: ClassVar[type[ExporterOptions]] = EpubOptions

    def export(self, books: Sequence[Book], ctx: ExportContext) -> list[Path]:
        """Write one EPUB per non-empty book; return the files written."""
        options = self.options
        assert isinstance(options, EpubOptions)
        written = []
        for book in books:
            if not book.articles:
                ctx.warn(f"epub: book {book.slug!r} has no articles; no EPUB written")
                continue
            package = build_package(book, ctx.theme, ctx.content_dir, options.toc_title,
                                    options.cover_image)
            written.append(ctx.write(f"{book.slug}{self.suffix}",
                                     package_bytes(package, modified_utc(book))))
        return written
