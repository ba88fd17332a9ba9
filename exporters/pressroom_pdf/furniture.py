"""Page furniture for a book typeset in pieces: running heads and "Page X of Y" folios.

Which question a page shows, and its number, are known only once every piece is typeset,
so the furniture is typeset afterwards as sheets (empty pages carrying only the heads and
folio) in runs of bounded length, and laid over the body pages.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pikepdf
from weasyprint.urls import URLFetcher

from pressroom.themes import Theme
from pressroom_pdf.paper import Paper
from pressroom_pdf.typeset import PageMarks, stylesheets, typeset

FURNITURE_TEMPLATE = "pdf/furniture.html.j2"
SHEETS_PER_RUN = 400  # bounds the memory of one furniture run at any book size


@dataclass(frozen=True, slots=True)
class Sheet:
    """One page's furniture: the book title inside, subject or question outside, folio."""

    recto: bool
    inner: str
    outer: str
    folio: str


@dataclass(frozen=True)
class Heading:
    """What an article start sets: the anchor, and the subject and question it shows."""

    anchor: str
    subject: str
    question: str


def sheets(marks: Sequence[PageMarks], starts: Sequence[Heading], title: str,
           back: Heading) -> list[Sheet]:
    """The furniture of each body page, numbered from 1: a page shows the first article
    that starts on it, else the one running on; from `back`'s anchor on, pages show it."""
    by_anchor = {start.anchor: start for start in starts}
    current = starts[0] if starts else Heading("", title, title)
    total = len(marks)
    result = []
    for number, page in enumerate(marks, start=1):
        begun = [by_anchor[name] for name in page.anchors if name in by_anchor]
        if begun:
            current = begun[0]
        elif back.anchor in page.anchors:
            current = back
        recto = number % 2 == 1
        result.append(Sheet(recto, title, current.question if recto else current.subject,
                            f"Page {number} of {total}"))
    return result


def furniture_runs(theme: Theme, paper: Paper, fetcher: URLFetcher, language: str,
                   title: str, all_sheets: Sequence[Sheet],
                   moment: dt.datetime) -> Iterator[tuple[int, pikepdf.Pdf]]:
    """(first sheet index, PDF of the run) for each run of at most SHEETS_PER_RUN sheets."""
    css = stylesheets(theme, theme.stylesheets("pdf-furniture"), paper.sheet_css(), fetcher)
    for start in range(0, len(all_sheets), SHEETS_PER_RUN):
        run = all_sheets[start:start + SHEETS_PER_RUN]
        html = theme.render(FURNITURE_TEMPLATE, sheets=run, language=language, title=title)
        piece = typeset(html, "file:///", fetcher, css, moment)
        yield start, pikepdf.open(io.BytesIO(piece.pdf))


class SheetRuns:
    """The furniture sheets of the body, reached in order: each run is typeset when its
    first sheet is asked for and closed when the pages have gone past it."""

    def __init__(self, runs: Iterator[tuple[int, pikepdf.Pdf]]) -> None:
        self._runs = runs
        self._first = 0
        self._run: pikepdf.Pdf | None = None

    def sheet(self, number: int) -> tuple[pikepdf.Pdf, int]:
        """The run holding sheet `number` (counted from the first body page) and the
        sheet's index in it; numbers must not go back to an earlier run."""
        while self._run is None or number >= self._first + len(self._run.pages):
            self.close()
            self._first, self._run = next(self._runs)
        if number < self._first:
            raise ValueError(f"furniture sheet {number} asked for after sheet {self._first}")
        return self._run, number - self._first

    def close(self) -> None:
        """Close the current run."""
        if self._run is not None:
            self._run.close()
            self._run = None
