"""Plan: books from the index, and one task per output with the hash of all it reads.

A task's key covers its exporter (name, class, options), the theme's files, pressroom's
version, the book's metadata and, per article in order, what the exporter reads: the
index record and resolved links (related and in the body), plus the fragment's hash for
exporters that read rendered articles. A key equal to the manifest's means there is nothing to do.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import marshal
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pressroom.books import Resolved, TitleLookup, make_book, resolve_links
from pressroom.build.lazy import IndexArticles, StoredArticles
from pressroom.build.records import record_fingerprint
from pressroom.build.render import Rendered
from pressroom.build.store import digest, package_digest
from pressroom.config import BuildConfig
from pressroom.exporter import Exporter
from pressroom.model import ArticleRecord, Book, Collection, RelatedLink
from pressroom.registry import ExporterInfo
from pressroom.themes import Theme


@dataclass(frozen=True)
class PlannedChunk:
    """One piece of a chunked part, worked on apart; its key is the hash of what it reads."""

    id: str
    book: Book
    key: str


@dataclass(frozen=True)
class PlannedTask:
    """One unit of export work: an exporter over some books, and the key of its inputs.

    A task with `chunks` assembles its one part from the chunks' results (map, then join).
    """

    id: str
    exporter: ExporterInfo
    books: tuple[Book, ...]
    key: str
    chunks: tuple[PlannedChunk, ...] = ()

    @property
    def label(self) -> str:
        """What the progress bar and failure messages call this task."""
        return self.id


class SiteIndex:
    """Link targets for the whole site: the current title of an article by url or id."""

    def __init__(self, records: Sequence[ArticleRecord]) -> None:
        self._by_url = {r.url: r.title for r in records}
        self._by_id: dict[Any, str] = {}
        for record in records:
            if record.id is not None:
                self._by_id.setdefault(record.id, record.title)

    def title_of(self, link: RelatedLink) -> str | None:
        """The linked article's title as it is now, when the site has it."""
        return self._by_url.get(link.url) or self._by_id.get(link.id)


def theme_digest(theme: Theme) -> str:
    """A hash of every file in the theme chain."""
    hasher = hashlib.sha256()
    for folder in theme.folders:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            hasher.update(path.relative_to(folder).as_posix().encode() + b"\0")
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


def exporter_identity(exporter: Exporter) -> str:
    """The exporter's class and options as text, for task keys."""
    options = json.dumps(dataclasses.asdict(exporter.options), sort_keys=True, default=str)
    cls = type(exporter)
    code = package_digest(cls.__module__.split(".")[0])
    module = sys.modules.get(cls.__module__)
    source = getattr(module, "__file__", None)
    if source and Path(source).name != "__init__.py":  # a single-file (e.g. local) exporter
        code += hashlib.sha256(Path(source).read_bytes()).hexdigest()
    return f"{cls.__module__}.{cls.__qualname__}:{code}:{options}"


def make_books(config: BuildConfig, collections: Sequence[Collection], kinds: Sequence[str],
               rendered: Rendered, titles: TitleLookup, store_path: Path,
               page_links: Resolved | None = None) -> dict[str, list[Book]]:
    """For each math kind, one Book per collection whose articles are read from the store;
    `titles` gives a related link's title (the site index's), `page_links` the body links
    resolved against the site (`linkmap`). Related links are resolved once per
    collection, for every kind."""
    books: dict[str, list[Book]] = {kind: [] for kind in kinds}
    for collection in collections:
        records: tuple[ArticleRecord, ...] = collection.articles  # type: ignore[assignment]
        links = resolve_links(records, config.base_url, titles)
        for kind in kinds:
            items = tuple((r, rendered.keys[(r.key, kind)]) for r in records)
            books[kind].append(make_book(collection, StoredArticles(store_path, items),
                                         base_url=config.base_url, language=config.language,
                                         author=config.author,
                                         title_pattern=config.title_pattern,
                                         links=links, page_links=page_links))
    return books


class RecordPrints:
    """Each record's index values hashed, once per plan for every book it is in."""

    def __init__(self) -> None:
        self._prints: dict[int, tuple[ArticleRecord, bytes]] = {}

    def seed(self, record: ArticleRecord, value: bytes) -> None:
        """Take a record's print as a plan that keyed it kept it."""
        self._prints[id(record)] = (record, value)

    def of(self, record: ArticleRecord) -> bytes:
        """The SHA-256 of `record_fingerprint` (readers of articles add the parse key)."""
        slot = id(record)
        if slot not in self._prints:  # the record is kept beside its print: ids stay unique
            self._prints[slot] = (record, hashlib.sha256(record_fingerprint(record)).digest())
        return self._prints[slot][1]


def book_digest(book: Book, reads_rendered: bool, rendered: Rendered,
                prints: RecordPrints) -> str:
    """A hash of what an exporter reads of one book, streamed (no list of 170,000 parts)."""
    hasher = hashlib.sha256()
    for part in (book.slug, book.title, book.author, book.language,
                 book.identifier, book.modified.isoformat()):
        hasher.update(part.encode() + b"\0")
    items: tuple[tuple[ArticleRecord, str], ...] = book.articles.items  # type: ignore[attr-defined]
    for record, fragment_key in items:
        hasher.update(prints.of(record))
        # The links' own fields are in the record; the book adds where each one resolves.
        links = tuple((t.internal_key, t.absolute_url, t.title)
                      for t in book.links.get(record.key, ()))
        pages = tuple(sorted((href, t.internal_key, t.absolute_url)
                             for href, t in book.page_links.get(record.key, {}).items()))
        hasher.update(marshal.dumps((links, pages), 0))
        if reads_rendered:
            hasher.update(f"{record.parsed}\0{rendered.digests[fragment_key]}\0".encode())
    return hasher.hexdigest()


class TaskPlanner:
    """Keys the tasks of a plan: one per (book part, format), or per site part for
    whole-site exporters.

    `context` is a hash of what every task reads besides its books (theme, config). Each
    exporter's identity and extra inputs are hashed once, a book's digest once for all
    the exporters that read it the same way, and a record's print once for all the books
    it is in, across math kinds (`prints` may come with the prints a plan kept).
    """

    def __init__(self, infos: Sequence[ExporterInfo], exporters: dict[str, Exporter],
                 rendered: Rendered, context: str, content_dir: Path,
                 prints: RecordPrints | None = None) -> None:
        self.infos = infos
        self.exporters = exporters
        self.rendered = rendered
        self.bases = {info.name: (context, exporter_identity(exporters[info.name]),
                                  exporters[info.name].options.extra_inputs(content_dir))
                      for info in infos}
        self.prints = prints or RecordPrints()
        self._digests: dict[tuple[int, bool], tuple[Book, str]] = {}
        self._index_books: dict[int, tuple[Book, Book]] = {}

    def book_tasks(self, books: dict[str, Book]) -> list[PlannedTask]:
        """The tasks of one collection's book (given per math kind), exporter by exporter."""
        tasks = []
        for info in self.infos:
            if info.cls.whole_site:
                continue
            exporter = self.exporters[info.name]
            base = self.bases[info.name]
            reads_rendered = info.cls.reads == "rendered"
            book = self._read(books[info.cls.math], info)
            for part in exporter.parts(book):
                key = digest(*base, self._digest(part, reads_rendered))
                label = f"{info.name}: {part.slug}"
                chunks = tuple(PlannedChunk(f"{label} [chunk {n + 1}]", chunk,
                                            digest(*base, "chunk",
                                                   self._digest(chunk, reads_rendered)))
                               for n, chunk in enumerate(exporter.chunks(part)))
                tasks.append(PlannedTask(label, info, (part,), key, chunks))
        return tasks

    def site_tasks(self, books: dict[str, list[Book]]) -> list[PlannedTask]:
        """The tasks of the whole-site exporters, over every book (given per math kind)."""
        tasks = []
        for info in self.infos:
            if not info.cls.whole_site:
                continue
            exporter = self.exporters[info.name]
            reads_rendered = info.cls.reads == "rendered"
            read = [self._read(book, info) for book in books[info.cls.math]]
            for label, group in exporter.site_parts(read):
                key = digest(*self.bases[info.name],
                             *(self._digest(book, reads_rendered) for book in group))
                tasks.append(PlannedTask(f"{info.name}: {label}", info, group, key))
        return tasks

    def _read(self, book: Book, info: ExporterInfo) -> Book:
        """The book as the exporter reads it: rendered, or as the index knows it."""
        if info.cls.reads == "rendered":
            return book
        slot = id(book)
        if slot not in self._index_books:  # the book is kept beside its view: ids stay unique
            self._index_books[slot] = (book, dataclasses.replace(book, articles=IndexArticles(
                book.articles.items, info.cls.math)))  # type: ignore[attr-defined]
        return self._index_books[slot][1]

    def _digest(self, book: Book, reads_rendered: bool) -> str:
        slot = (id(book), reads_rendered)
        if slot not in self._digests:
            self._digests[slot] = (book, book_digest(book, reads_rendered, self.rendered,
                                                     self.prints))
        return self._digests[slot][1]
