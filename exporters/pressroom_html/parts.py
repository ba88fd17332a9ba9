"""The study site as tasks: the site index, one index per collection, pages in short runs.

A save then rewrites the run holding the article (and the two small indexes), not every
page. Related links are resolved here, where every book is in sight: a link to any page
of the site becomes that page's path, so each run's task key covers where its links go.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pressroom.model import Book, RelatedTarget
from pressroom_html.paths import article_path


@dataclass(frozen=True)
class PageRun(Book):
    """A run of a book's articles whose pages one task writes."""


@dataclass(frozen=True)
class CollectionIndex(Book):
    """A book whose index page one task writes."""


def _as(kind: type[Book], book: Book, **changes: Any) -> Book:
    fields = {f.name: getattr(book, f.name) for f in dataclasses.fields(Book)}
    return kind(**{**fields, **changes})


def site_linked(books: Sequence[Book], trailing_slash: str) -> list[Book]:
    """Every book with each related target's `internal_key` set to its page path on the site,
    or None where the site has no page for it (the link then stays on the base URL)."""
    by_url: dict[str, str] = {}
    by_id: dict[Any, str] = {}
    for book in books:
        for record in book.collection.articles:
            path = article_path(record.url, trailing_slash)
            if path is not None:
                by_url.setdefault(record.url, path)
                if record.id is not None:
                    by_id.setdefault(record.id, path)
    linked = []
    for book in books:
        keys = {r.key: article_path(r.url, trailing_slash) for r in book.collection.articles}

        def target_path(target: RelatedTarget, keys: dict[str, str | None] = keys) -> str | None:
            if target.internal_key is not None:
                return keys.get(target.internal_key)
            return by_url.get(target.link.url) or by_id.get(target.link.id)

        links = {key: tuple(dataclasses.replace(t, internal_key=target_path(t)) for t in targets)
                 for key, targets in book.links.items()}
        linked.append(dataclasses.replace(book, links=links))
    return linked


def site_parts(books: Sequence[Book], trailing_slash: str,
               run_length: int) -> list[tuple[str, tuple[Book, ...]]]:
    """(label, books) per task: `site`, then per book its index and runs of `run_length`."""
    linked = site_linked(books, trailing_slash)
    parts: list[tuple[str, tuple[Book, ...]]] = [("site", tuple(linked))]
    for book in linked:
        parts.append((book.slug, (_as(CollectionIndex, book),)))
        for n, start in enumerate(range(0, len(book.articles), run_length), start=1):
            run = book.articles[start:start + run_length]
            parts.append((f"{book.slug}-pages-{n}", (_as(PageRun, book, articles=run),)))
    return parts
