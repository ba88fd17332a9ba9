"""Page furniture for a book typeset in pieces: running heads and "Page X of Y" folios.

Which question a page shows, and its number, are known only once every piece is typeset,
so the furniture is typeset afterwards as sheets (empty pages carrying only the heads and
folio) in runs of bounded length, and laid over the body pages.
"""

from __future__ import annotations

import datetime as dt
import io
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload

import pikepdf
from weasyprint.urls import URLFetcher

from pressroom.themes import Theme
from pressroom_pdf.paper import Paper
from pressroom_pdf.typeset import stylesheets, typeset

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


NO_START, BACK_START, BOOK_START = -1, -2, -3  # heading codes besides an article's number


class Sheets(Sequence[Sheet]):
    """The furniture of each page from the body on, numbered from 1, made when a run asks
    for it: a page shows the first article that starts on it, else the one running on;
    from the back's first page on, pages show `back`. `heads` holds per page the number of
    the first article starting on it, NO_START or BACK_START; `heading` gives an
    article's by its number (the first runs on from the start)."""

    def __init__(self, heads: Iterable[int], heading: Callable[[int], Heading],
                 articles: int, title: str, back: Heading) -> None:
        self._running = array("q")
        current = 0 if articles else BOOK_START
        for head in heads:
            if head != NO_START:
                current = head
            self._running.append(current)
        self._heading = heading
        self._title = title
        self._back = back

    def __len__(self) -> int:
        return len(self._running)

    @overload
    def __getitem__(self, index: int) -> Sheet: ...

    @overload
    def __getitem__(self, index: slice) -> list[Sheet]: ...

    def __getitem__(self, index: int | slice) -> Sheet | list[Sheet]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        code = self._running[index]
        current = (self._back if code == BACK_START else
                   Heading("", self._title, self._title) if code == BOOK_START else
                   self._heading(code))
        number = index % len(self) + 1
        recto = number % 2 == 1
        return Sheet(recto, self._title, current.question if recto else current.subject,
                     f"Page {number} of {len(self)}")


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
