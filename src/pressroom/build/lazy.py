"""A book's articles read from the build store one at a time, as an exporter reaches them."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import overload

from pressroom.build.render import Fragment
from pressroom.build.store import BuildStore, load
from pressroom.model import ArticleRecord, RenderedArticle

BATCH = 200  # articles read per query while iterating (SQLite allows 999 parameters)
_READERS: dict[tuple[str, int], BuildStore] = {}


def _reader(path: Path) -> BuildStore:
    """One read-only connection per process and store (never one inherited through fork)."""
    slot = (str(path), os.getpid())
    if slot not in _READERS:
        _READERS[slot] = BuildStore(path, readonly=True)
    return _READERS[slot]


def close_readers() -> None:
    """Close this process's read connections (at the end of a build)."""
    for slot in [slot for slot in _READERS if slot[1] == os.getpid()]:
        _READERS.pop(slot).close()


class StoredArticles(Sequence[RenderedArticle]):
    """RenderedArticles of one book, loaded from the store on access; pickles as references."""

    def __init__(self, store_path: Path,
                 items: tuple[tuple[ArticleRecord, str], ...]) -> None:
        self.store_path = store_path
        self.items = items

    def __len__(self) -> int:
        """How many articles the book holds."""
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> RenderedArticle: ...

    @overload
    def __getitem__(self, index: slice) -> StoredArticles: ...

    def __getitem__(self, index: int | slice) -> RenderedArticle | StoredArticles:
        """One article, loaded now; a slice stays lazy."""
        if isinstance(index, slice):
            return StoredArticles(self.store_path, self.items[index])
        return self._load(*self.items[index])

    def __iter__(self) -> Iterator[RenderedArticle]:
        """Each article in order, read from the store a batch at a time as it is reached."""
        store = _reader(self.store_path)
        for start in range(0, len(self.items), BATCH):
            chunk = self.items[start:start + BATCH]
            blobs = store.articles_and_fragments([(r.parsed, f) for r, f in chunk])
            for (record, _), (article, fragment) in zip(chunk, blobs, strict=True):
                yield load(fragment).rendered(record.apply(load(article)))

    def _load(self, record: ArticleRecord, fragment_key: str) -> RenderedArticle:
        store = _reader(self.store_path)
        article = record.apply(load(store.article(record.parsed)))
        fragment: Fragment = load(store.fragment(fragment_key))
        return fragment.rendered(article)

    def materialised(self) -> tuple[RenderedArticle, ...]:
        """Every article loaded, for a task shipped to a machine without the store."""
        return tuple(self)


class IndexArticles(Sequence[RenderedArticle]):
    """A book's articles as the index knows them (`ArticleRecord.as_article`), with no
    HTML: what an exporter that reads only the index gets. Nothing is read from the store."""

    def __init__(self, items: tuple[tuple[ArticleRecord, str], ...], math: str) -> None:
        self.items = items
        self.math = math

    def __len__(self) -> int:
        """How many articles the book holds."""
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> RenderedArticle: ...

    @overload
    def __getitem__(self, index: slice) -> IndexArticles: ...

    def __getitem__(self, index: int | slice) -> RenderedArticle | IndexArticles:
        """One article; a slice is another index view."""
        if isinstance(index, slice):
            return IndexArticles(self.items[index], self.math)
        return RenderedArticle(self.items[index][0].as_article(), "", "", (), self.math)
