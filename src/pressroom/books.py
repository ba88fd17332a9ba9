"""Collections plus rendered articles become Books, with stable identity and dates."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from itertools import repeat
from pathlib import Path

from pressroom.model import Article, Book, Collection, RenderedArticle, absolute_url
from pressroom.render import RenderedBody, render_body, with_math
from pressroom.render.mathcache import MathCache

PARALLEL_MINIMUM = 200
FALLBACK_MODIFIED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


class Renderer:
    """Parses each article's Markdown once (keyed by its content hash); math per kind."""

    def __init__(self, content_dir: Path | None = None,
                 math_cache: MathCache | None = None) -> None:
        self.content_dir = content_dir
        self.math_cache = math_cache or MathCache()
        self._bodies: dict[tuple[str, str], RenderedBody] = {}

    @staticmethod
    def _key(article: Article) -> tuple[str, str]:
        return article.key, hashlib.sha256(article.body_md.encode("utf-8")).hexdigest()

    def prepare(self, articles: Sequence[Article], jobs: int = 1) -> None:
        """Parse the bodies not parsed yet, in `jobs` processes when that is more than one."""
        keyed = ((self._key(a), a) for a in articles)
        todo = {key: a for key, a in keyed if key not in self._bodies}
        if jobs <= 1 or len(todo) < PARALLEL_MINIMUM:
            return
        chunk = max(1, len(todo) // (jobs * 8))
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            bodies = pool.map(render_body, todo.values(), repeat(self.content_dir),
                              chunksize=chunk)
            self._bodies.update(zip(todo, bodies, strict=True))

    def forget(self) -> None:
        """Drop the parsed bodies once no other math kind will need them."""
        self._bodies.clear()

    def render(self, article: Article, math: str) -> RenderedArticle:
        """The article rendered with `math`, reusing its parsed body across math kinds."""
        key = self._key(article)
        if key not in self._bodies:
            self._bodies[key] = render_body(article, self.content_dir)
        return with_math(article, self._bodies[key], math, self.math_cache)


def book_identifier(base_url: str, slug: str) -> str:
    """A stable identifier: the same site and collection always give the same URN."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, absolute_url(base_url, '/books/' + slug))}"


def book_modified(articles: Iterable[Article]) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, else the newest article date: reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    dates = [a.date for a in articles if a.date is not None]
    if not dates:
        return FALLBACK_MODIFIED
    newest = max(dates)
    return dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC)


def make_book(collection: Collection, rendered: Iterable[RenderedArticle], *, base_url: str,
              language: str = "en", author: str = "", title_pattern: str = "{collection}"
              ) -> Book:
    """Assemble one Book; its author is the most common article author unless given."""
    items = tuple(rendered)
    authors = Counter(r.article.author for r in items if r.article.author)
    return Book(
        collection=collection,
        articles=items,
        title=title_pattern.format(collection=collection.title),
        author=author or (authors.most_common(1)[0][0] if authors else "pressroom"),
        language=language,
        base_url=base_url,
        identifier=book_identifier(base_url, collection.slug),
        modified=book_modified(collection.articles),
    )


def split_volumes(book: Book, max_articles: int) -> list[Book]:
    """The book as volumes of at most `max_articles` articles, each a Book of its own.

    A small book is returned as it is; a large one becomes books slugged
    `<slug>-vol-1`, `<slug>-vol-2`… whose titles say "Volume i of n". Volumes keep the
    book's identifier and date, so their numbering and names are stable across rebuilds.
    """
    count = math.ceil(len(book.articles) / max_articles) if book.articles else 1
    if count == 1:
        return [book]
    parts = []
    for n in range(count):
        chunk = book.articles[n * max_articles:(n + 1) * max_articles]
        collection = replace(book.collection, slug=f"{book.slug}-vol-{n + 1}",
                             articles=tuple(r.article for r in chunk))
        parts.append(replace(book, collection=collection, articles=chunk,
                             title=f"{book.title}, Volume {n + 1} of {count}"))
    return parts
