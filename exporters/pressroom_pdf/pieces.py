"""The contents and the keyword index cut into pieces of bounded length, typeset one by one.

One WeasyPrint document's memory grows with its length (a 1,000-article index of about
9,000 locators took 440 MB), and a 40,000-article book has some 1,000 pages of contents.
So both are typeset as pieces of at most a fixed number of lines, like the body chunks: a
group that does not fit goes on in the next piece, without repeating its heading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from pressroom.keywords import IndexEntry, IndexGroup

Entry = TypeVar("Entry")


@dataclass(frozen=True, slots=True)
class ContentsEntry:
    """One line of the contents: the article's anchor and its question."""

    key: str
    question: str


@dataclass(frozen=True)
class ContentsGroup:
    """The articles of one subject, in book order, under its title (not shown again when
    the group is `continued` from an earlier piece)."""

    title: str
    entries: tuple[ContentsEntry, ...]
    continued: bool = False


@dataclass(frozen=True)
class IndexPart:
    """The entries of one letter group, or the part of them that one piece holds."""

    label: str
    anchor: str
    entries: tuple[IndexEntry, ...]
    continued: bool = False


def index_parts(groups: Sequence[IndexGroup]) -> list[IndexPart]:
    """A whole index as parts, one per letter group."""
    return [IndexPart(group.label, group.anchor, group.entries) for group in groups]


def _cut(groups: Sequence[tuple[str, Sequence[Entry]]], limit: int,
         size: Callable[[Entry], int]) -> list[list[tuple[int, tuple[Entry, ...], bool]]]:
    """Pieces of (group number, entries, continued) holding at most `limit` units each
    (an entry is never cut; a piece holds at least one)."""
    pieces: list[list[tuple[int, tuple[Entry, ...], bool]]] = [[]]
    used = 0
    for number, (_, entries) in enumerate(groups):
        run: list[Entry] = []
        continued = False
        for entry in entries:
            if used + size(entry) > limit and (run or pieces[-1]):
                if run:
                    pieces[-1].append((number, tuple(run), continued))
                    run, continued = [], True
                pieces.append([])
                used = 0
            run.append(entry)
            used += size(entry)
        if run:
            pieces[-1].append((number, tuple(run), continued))
    return [piece for piece in pieces if piece]


def contents_pieces(groups: Sequence[ContentsGroup], limit: int
                    ) -> list[tuple[ContentsGroup, ...]]:
    """The contents in pieces of at most `limit` lines."""
    cut = _cut([(g.title, g.entries) for g in groups], limit, lambda _: 1)
    return [tuple(ContentsGroup(groups[n].title, entries, continued)
                  for n, entries, continued in piece) for piece in cut]


def index_pieces(groups: Sequence[IndexGroup], limit: int) -> list[tuple[IndexPart, ...]]:
    """The index in pieces of at most `limit` locators (page references)."""
    cut = _cut([(g.label, g.entries) for g in groups], limit, lambda e: len(e.keys))
    return [tuple(IndexPart(groups[n].label, groups[n].anchor, entries, continued)
                  for n, entries, continued in piece) for piece in cut]
