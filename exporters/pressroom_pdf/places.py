"""Where a book's anchors land and which article each page shows, held in arrays.

A book of 40,000 articles has some 70,000 pages and 200,000 anchors. The joining process
keeps, for the whole book, only what the file's end and the furniture need: the first
place of each anchor that is kept (the articles', the index's, those a link names, and
every anchor of the front matter and the index), each article's first body page, and per
page from the body on the article that starts on it. They live in arrays indexed by a
slot per anchor name (an article's slot is its place in the book, its name the record's
own string), so memory per article is some tens of bytes, not a few Python objects.
"""

from __future__ import annotations

from array import array
from collections.abc import Container, Iterable, Iterator, Mapping, Sequence
from itertools import chain

from pressroom_pdf.bookends import Spot
from pressroom_pdf.furniture import BACK_START, NO_START
from pressroom_pdf.typeset import PageMarks

FRONT, BODY, BACK = 0, 1, 2  # the book's parts, in page order
UNPLACED = 3


class BookPlaces(Mapping[str, Spot]):
    """The kept anchors' first places (a mapping of anchor name to Spot once `start` and
    the verso shift are set) and the headings of the pages from the body on."""

    def __init__(self, keys: Sequence[str], back_anchor: str) -> None:
        self._slots: dict[str, int] = {}
        for key in keys:
            self._slots.setdefault(key, len(self._slots))
        self.articles = len(self._slots)
        self._back_anchor = back_anchor
        self._part = array("b", [UNPLACED]) * self.articles
        self._page = array("q", [0]) * self.articles
        self._x = array("d", [0.0]) * self.articles
        self._y = array("d", [0.0]) * self.articles
        self._used = bytearray(self.articles)
        self._first_body_page = array("q", [-1]) * self.articles
        self.heads = array("q")  # per page from the body on: article slot, or a code
        self.counts = [0, 0, 0]  # pages in the front matter, the body and the back
        self.start = 0
        self.verso_shift = 0.0

    def is_article(self, name: str) -> bool:
        """Whether `name` is an article's anchor."""
        slot = self._slots.get(name)
        return slot is not None and slot < self.articles

    def add_pages(self, part: int, pages: Iterable[PageMarks],
                  keep: Container[str] | None = None) -> None:
        """Record the next pages of `part`: their anchors (only those for which `keep`
        holds, when given, besides the articles') and, from the body on, their headings."""
        for marks in pages:
            page = self.counts[part]
            self.counts[part] += 1
            head = NO_START
            for name in marks.anchors:
                slot = self._slots.get(name)
                if slot is not None and slot < self.articles:
                    if head == NO_START:
                        head = slot
                    if part == BODY and self._first_body_page[slot] < 0:
                        self._first_body_page[slot] = page
                elif keep is not None and name not in keep:
                    continue
                x, y = marks.anchors[name]
                self._place(name, part, page, x, y)
            if part != FRONT:
                if head == NO_START and self._back_anchor in marks.anchors:
                    head = BACK_START
                self.heads.append(head)

    def pad_front(self) -> None:
        """Give the front matter an even page count (a blank page if needed)."""
        if self.counts[FRONT] % 2:
            self.counts[FRONT] += 1

    def _place(self, name: str, part: int, page: int, x: float, y: float) -> None:
        slot = self._slots.get(name)
        if slot is None:
            slot = self._slots[name] = len(self._slots)
            self._part.append(UNPLACED)
            self._page.append(0)
            self._x.append(0.0)
            self._y.append(0.0)
            self._used.append(0)
        if (part, page) < (self._part[slot], self._page[slot]):
            self._part[slot], self._page[slot] = part, page
            self._x[slot], self._y[slot] = x, y

    def started(self) -> Iterator[str]:
        """The anchors of the articles found on a body page."""
        return (name for name, slot in self._slots.items()
                if slot < self.articles and self._first_body_page[slot] >= 0)

    def first_body_page(self, key: str) -> int | None:
        """The body page (counted from 1) an article's anchor is first on, if any."""
        slot = self._slots.get(key)
        if slot is None or slot >= self.articles or self._first_body_page[slot] < 0:
            return None
        return self._first_body_page[slot] + 1

    def use(self, names: Iterable[str]) -> None:
        """Mark anchors as named by the book (linked, or its articles')."""
        for name in names:
            slot = self._slots.get(name)
            if slot is not None:
                self._used[slot] = 1

    def used(self) -> Iterator[str]:
        """The placed anchors marked used."""
        return (name for name, slot in self._slots.items()
                if self._used[slot] and self._part[slot] != UNPLACED)

    def __contains__(self, name: object) -> bool:
        slot = self._slots.get(name) if isinstance(name, str) else None
        return slot is not None and self._part[slot] != UNPLACED

    def __getitem__(self, name: str) -> Spot:
        slot = self._slots.get(name)
        if slot is None or self._part[slot] == UNPLACED:
            raise KeyError(name)
        part = self._part[slot]
        index = self._page[slot] + (0 if part == FRONT else self.start) + (
            self.counts[BODY] if part == BACK else 0)
        shifted = index > self.start and (index - self.start) % 2
        return Spot(index, self._x[slot] + (self.verso_shift if shifted else 0.0),
                    self._y[slot])

    def __iter__(self) -> Iterator[str]:
        return (name for name, slot in self._slots.items() if self._part[slot] != UNPLACED)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class PageNumbers(Mapping[str, str]):
    """The printed number of the body page each article starts on, by its anchor (and
    the index's first page under its anchor, when there is one)."""

    def __init__(self, places: BookPlaces, index_anchor: str | None) -> None:
        self._places = places
        self._index_anchor = index_anchor

    def __getitem__(self, key: str) -> str:
        if key == self._index_anchor:
            return str(self._places.counts[BODY] + 1)
        number = self._places.first_body_page(key)
        if number is None:
            raise KeyError(key)
        return str(number)

    def __iter__(self) -> Iterator[str]:
        started = self._places.started()
        if self._index_anchor is None:
            return started
        return chain((name for name in started if name != self._index_anchor),
                     (self._index_anchor,))

    def __len__(self) -> int:
        return sum(1 for _ in self)
