"""One WeasyPrint run: HTML to PDF bytes, with each page's anchors and internal links.

Internal links and anchors are taken out of WeasyPrint's output and returned as data in
PDF points, so the pieces of a book typeset apart can link to each other once assembled.
A tagged piece (a PDF/A or PDF/UA variant) keeps its internal links instead, each naming
its destination, for they have their place in its structure tree: the targets in other
pieces are given a stand-in anchor so that WeasyPrint does not drop them.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from pressroom.themes import Theme

PT_PER_PX = 0.75
Rect = tuple[float, float, float, float]


@dataclass(frozen=True)
class PageMarks:
    """One page's size, anchors (id → x, y) and internal links (target, rect), in points."""

    width: float
    height: float
    anchors: dict[str, tuple[float, float]]
    links: tuple[tuple[str, Rect], ...]


@dataclass(frozen=True)
class Typeset:
    """A typeset piece: its PDF and the marks of each of its pages."""

    pdf: bytes
    pages: tuple[PageMarks, ...]


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


def stylesheets(theme: Theme, paths: Sequence[Path], extra: str,
                fetcher: URLFetcher) -> list[CSS]:
    """The theme's stylesheets (its options filled in), then `extra` (page geometry)."""
    sheets = [CSS(string=theme.stylesheet(path), base_url=path.resolve().as_uri(),
                  url_fetcher=fetcher) for path in paths]
    return [*sheets, CSS(string=extra, url_fetcher=fetcher)]


def _marks(page: object) -> PageMarks:
    width, height = page.width * PT_PER_PX, page.height * PT_PER_PX  # type: ignore[attr-defined]
    anchors = {name: (x * PT_PER_PX, height - y * PT_PER_PX)
               for name, (x, y, *_) in page.anchors.items()}  # type: ignore[attr-defined]
    links = tuple((target, (x1 * PT_PER_PX, height - y2 * PT_PER_PX,
                            x2 * PT_PER_PX, height - y1 * PT_PER_PX))
                  for kind, target, (x1, y1, x2, y2), _ in page.links  # type: ignore[attr-defined]
                  if kind == "internal")
    return PageMarks(width, height, anchors, links)


def typeset(html: str, base_url: str, fetcher: URLFetcher, sheets: Sequence[CSS],
            moment: dt.datetime, variant: str = "") -> Typeset:
    """Typeset `html`; the PDF keeps external links, the marks hold the internal ones
    (a `variant` piece is tagged and keeps them too)."""
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        stylesheets=list(sheets))
    marks = []
    targets: set[str] = set()
    for page in document.pages:
        marks.append(_marks(page))
        if variant:
            targets.update(target for kind, target, _, _ in page.links if kind == "internal")
        else:
            page.links[:] = [link for link in page.links if link[0] != "internal"]
        page.anchors.clear()
        page.bookmarks[:] = []
    if targets:
        document.pages[0].anchors.update({name: (0, 0, 0, 0) for name in sorted(targets)})
    buffer = io.BytesIO()
    with source_date_epoch(moment):
        if variant:
            document.write_pdf(buffer, pdf_variant=variant, pdf_tags=True,
                               pdf_identifier=b"piece")
        else:
            document.write_pdf(buffer)
    return Typeset(buffer.getvalue(), tuple(marks))
