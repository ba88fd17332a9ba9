"""A book's articles read from the build store one at a time, as an exporter reaches them."""

from __future__ import annotations

import os
from abc import abstractmethod
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


Item = tuple[ArticleRecord, str]  # an article's index record and its fragment's key


class BookArticles(Sequence[RenderedArticle]):
    """A book's articles made from its items on access; a slice is a view of the same kind."""

    items: tuple[Item, ...]

    def __len__(self) -> int:
        """How many articles the book holds."""
        return len(self.items)

    @overload
    def __getitem__(self, index: int) -> RenderedArticle: ...

    @overload
    def __getitem__(self, index: slice) -> BookArticles: ...

    def __getitem__(self, index: int | slice) -> RenderedArticle | BookArticles:
        """One article, made now; a slice stays lazy."""
        if isinstance(index, slice):
            return self.sliced(self.items[index])
        return self.made(*self.items[index])

    @abstractmethod
    def sliced(self, items: tuple[Item, ...]) -> BookArticles:
        """The same view over other items."""

    @abstractmethod
    def made(self, record: ArticleRecord, fragment_key: str) -> RenderedArticle:
        """One item's article."""


class StoredArticles(BookArticles):
    """RenderedArticles of one book, loaded from the store on access; pickles as references."""

    def __init__(self, store_path: Path, items: tuple[Item, ...]) -> None:
        self.store_path = store_path
        self.items = items

    def sliced(self, items: tuple[Item, ...]) -> StoredArticles:
        """The same store's articles for other items."""
        return StoredArticles(self.store_path, items)

    def __iter__(self) -> Iterator[RenderedArticle]:
        """Each article in order, read from the store a batch at a time as it is reached."""
        store = _reader(self.store_path)
        for start in range(0, len(self.items), BATCH):
            chunk = self.items[start:start + BATCH]
            blobs = store.articles_and_fragments([(r.parsed, f) for r, f in chunk])
            for (record, _), (article, fragment) in zip(chunk, blobs, strict=True):
                yield load(fragment).rendered(record.apply(load(article)))

    def made(self, record: ArticleRecord, fragment_key: str) -> RenderedArticle:
        """One article and its fragment, read from the store."""
        store = _reader(self.store_path)
        article = record.apply(load(store.article(record.parsed)))
        fragment: Fragment = load(store.fragment(fragment_key))
        return fragment.rendered(article)

    def materialised(self) -> tuple[RenderedArticle, ...]:
        """Every article loaded, for a task shipped to a machine without the store."""
        return tuple(self)


class IndexArticles(BookArticles):
    """A book's articles as the index knows them (`ArticleRecord.as_article`), with no
    HTML: what an exporter that reads only the index gets. Nothing is read from the store."""

    def __init__(self, items: tuple[Item, ...], math: str) -> None:
        self.items = items
        self.math = math

    def sliced(self, items: tuple[Item, ...]) -> IndexArticles:
        """The index view of other items."""
        return IndexArticles(items, self.math)

    def made(self, record: ArticleRecord, fragment_key: str) -> RenderedArticle:
        """The record's article, with empty HTML."""
        return RenderedArticle(record.as_article(), "", "", (), self.math)
