"""The PDF exporter's options, from `[tool.pressroom.exporters.pdf]` and the CLI."""

from __future__ import annotations

from dataclasses import dataclass

from pressroom.exporter import ExporterOptions
from pressroom_pdf.paper import PAPERS

VARIANTS = ("", "pdf/a-3u", "pdf/ua-1")


@dataclass
class PdfOptions(ExporterOptions):
    """How books are printed.

    `max_articles`: a book with more articles is printed as numbered volumes.
    `chunk_articles`: the body is typeset in runs of this many articles, each its own task.
    `paper`: a4 or letter; `mirror`: wider inner margins for two-sided printing.
    `variant`: pdf/a-3u or pdf/ua-1 (tagged pieces, joined: see the README).
    `dump_html`: also write `<book>.html`, the one-piece HTML and CSS WeasyPrint reads.
    `contents_lines`, `index_locators`: a book typeset in pieces has its contents and its
    index typeset in pieces of at most this many lines or page references (memory).
    """

    max_articles: int = 1000
    chunk_articles: int = 50
    paper: str = "a4"
    mirror: bool = True
    variant: str = ""
    dump_html: bool = False
    contents_lines: int = 1000
    index_locators: int = 2000

    def __post_init__(self) -> None:
        if self.max_articles < 1:
            raise ValueError(f"pdf max_articles must be at least 1, not {self.max_articles!r}")
        if self.chunk_articles < 1:
            raise ValueError(
                f"pdf chunk_articles must be at least 1, not {self.chunk_articles!r}")
        for name in ("contents_lines", "index_locators"):
            if getattr(self, name) < 1:
                raise ValueError(f"pdf {name} must be at least 1, not {getattr(self, name)!r}")
        if self.paper not in PAPERS:
            raise ValueError(f"pdf paper must be one of {', '.join(PAPERS)}, not {self.paper!r}")
        if self.variant not in VARIANTS:
            raise ValueError(f"pdf variant must be one of {', '.join(v for v in VARIANTS if v)}"
                             f", not {self.variant!r}")
