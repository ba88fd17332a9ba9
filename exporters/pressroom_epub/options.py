"""`[tool.pressroom.exporters.epub]`: what the EPUB exporter may be told."""

from __future__ import annotations

from dataclasses import dataclass

from pressroom.exporter import ExporterOptions

MIN_FILE_KB = 8


@dataclass
class EpubOptions(ExporterOptions):
    """Contents and index titles, cover image, study layout, publisher, volume and file sizes.

    `study`: each question comes first with a link to its answer, the answer follows on a
    page of its own and links back, related articles are linked both ways.
    `max_articles`: a larger book becomes numbered volumes. `max_file_kb`: no content
    document grows past this (a longer chapter is cut into parts, the index into pages).
    `math_font`: a book with MathML carries STIX Two Math, cut down to the characters its
    math shows, so delimiters stretch in reading systems without an OpenType MATH font.
    `publisher`: shown on the title page and in the metadata (default: the book's author).
    """

    toc_title: str = "Contents"
    index_title: str = "Index"
    cover_image: bool = True
    study: bool = False
    index: bool = True
    math_font: bool = True
    publisher: str = ""
    max_articles: int = 1000
    max_file_kb: int = 250

    def __post_init__(self) -> None:
        if self.max_articles < 1:
            raise ValueError(f"epub max_articles must be at least 1, not {self.max_articles!r}")
        if self.max_file_kb < MIN_FILE_KB:
            raise ValueError(f"epub max_file_kb must be at least {MIN_FILE_KB}, "
                             f"not {self.max_file_kb!r}")

    @property
    def max_file_bytes(self) -> int:
        """`max_file_kb` in bytes."""
        return self.max_file_kb * 1000
