"""Collections plus rendered articles become Books, with stable identity and dates."""

from __future__ import annotations

import datetime as dt
import math
import os
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar
from urllib.parse import urlsplit

from pressroom.model import (
    Article,
    ArticleRecord,
    Book,
    Collection,
    PageTarget,
    RelatedLink,
    RelatedTarget,
    RenderedArticle,
)
from pressroom.urls import absolute_url

FALLBACK_MODIFIED = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)

TitleLookup = Callable[[RelatedLink], str | None]
Resolved = Mapping[str, Mapping[str, "ArticleRecord | str | None"]]
V = TypeVar("V")


def book_identifier(base_url: str, slug: str) -> str:
    """A stable identifier: the same site and collection always give the same URN."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, absolute_url(base_url, '/books/' + slug))}"


def volume_identifier(book: str, slug: str) -> str:
    """A volume's own stable identifier, derived from its book's and the volume's slug."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{book}/{slug}')}"


def book_runs(book: Book, size: int) -> list[Book]:
    """The book as runs of `size` articles (chunks), each keeping its own articles' links
    as the whole book resolves them (a run of a 58,000-article book carried every one's
    links: 15 MB to pickle for each chunk sent to a worker)."""
    runs = []
    for start in range(0, len(book.articles), size):
        members = book.collection.articles[start:start + size]
        runs.append(replace(book, collection=replace(book.collection, articles=members),
                            articles=book.articles[start:start + size],
                            links=_own(book.links, members),
                            page_links=_own(book.page_links, members)))
    return runs


def _own(by_key: Mapping[str, V], members: Sequence[Article | ArticleRecord]) -> dict[str, V]:
    """The entries of `by_key` that belong to the members, as they are."""
    return {a.key: by_key[a.key] for a in members if a.key in by_key}


def book_modified(articles: Iterable[Article | ArticleRecord]) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, else the newest article date: reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    dates = [a.date for a in articles if a.date is not None]
    if not dates:
        return FALLBACK_MODIFIED
    newest = max(dates)
    return dt.datetime(newest.year, newest.month, newest.day, tzinfo=dt.UTC)


def resolve_links(members: Sequence[Article | ArticleRecord], base_url: str,
                  titles: TitleLookup | None = None) -> dict[str, tuple[RelatedTarget, ...]]:
    """Each member's related links: an anchor inside the book when the target is in it.

    `titles` gives a target's current title from the site index, so renaming an article
    renames every link to it; without it, the title written in the link is kept. URLs
    are interned: at 170,000 articles the same target appears in about five books' links.
    """
    by_url = {a.url: a.key for a in members}
    by_id: dict[Any, str] = {}
    for a in members:
        if a.id is not None:
            by_id.setdefault(a.id, a.key)
    absolute: dict[str, str] = {}  # each target once: about five members link to it
    for a in members:
        for link in a.related:
            if link.url not in absolute:
                absolute[link.url] = sys.intern(absolute_url(base_url, link.url))
    links = {}
    for a in members:
        links[a.key] = tuple(
            RelatedTarget(link, by_url.get(link.url) or by_id.get(link.id), absolute[link.url],
                          (titles(link) if titles else None) or link.title)
            for link in a.related)
    return links


def page_targets(members: Sequence[Article | ArticleRecord], resolved: Resolved,
                 base_url: str) -> dict[str, dict[str, PageTarget]]:
    """Each member's body links for this book: a chapter when the page is in it, else
    the page's absolute URL (or nothing, for a page the site does not have)."""
    keys = {a.key for a in members}
    targets: dict[str, dict[str, PageTarget]] = {}
    for a in members:
        for href, target in resolved.get(a.key, {}).items():
            if isinstance(target, str):
                found = PageTarget(None, absolute_url(base_url, target))
            elif target is None:
                found = PageTarget(None, None)
            else:
                fragment = urlsplit(href).fragment
                found = PageTarget(target.key if target.key in keys else None,
                                   absolute_url(base_url, target.url)
                                   + (f"#{fragment}" if fragment else ""))
            targets.setdefault(a.key, {})[href] = found
    return targets


def make_book(collection: Collection, rendered: Sequence[RenderedArticle], *, base_url: str,
              language: str = "en", author: str = "", title_pattern: str = "{collection}",
              links: Mapping[str, tuple[RelatedTarget, ...]] | None = None,
              page_links: Resolved | None = None) -> Book:
    """Assemble one Book; its author is the most common article author unless given."""
    authors = Counter(a.author for a in collection.articles if a.author)
    return Book(
        collection=collection,
        articles=rendered,
        title=title_pattern.format(collection=collection.title),
        author=author or (authors.most_common(1)[0][0] if authors else "pressroom"),
        language=language,
        identifier=book_identifier(base_url, collection.slug),
        modified=book_modified(collection.articles),
        links=resolve_links(collection.articles, base_url) if links is None else links,
        page_links=page_targets(collection.articles, page_links or {}, base_url),
    )


def _links_within(links: Mapping[str, tuple[RelatedTarget, ...]],
                  members: Sequence[Article | ArticleRecord]
                  ) -> dict[str, tuple[RelatedTarget, ...]]:
    """The members' links, with targets outside them pointing at the site instead."""
    keys = {a.key for a in members}
    return {a.key: tuple(t if t.internal_key in keys or t.internal_key is None
                         else replace(t, internal_key=None) for t in links.get(a.key, ()))
            for a in members}


def _pages_within(page_links: Mapping[str, Mapping[str, PageTarget]],
                  members: Sequence[Article | ArticleRecord]
                  ) -> dict[str, dict[str, PageTarget]]:
    """The members' body links, with pages outside them pointing at the site instead."""
    keys = {a.key for a in members}
    return {a.key: {href: t if t.internal_key in keys or t.internal_key is None
                    else PageTarget(None, t.absolute_url) for href, t in hrefs.items()}
            for a in members if (hrefs := page_links.get(a.key))}


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
        members = book.collection.articles[n * max_articles:(n + 1) * max_articles]
        collection = replace(book.collection, slug=f"{book.slug}-vol-{n + 1}",
                             articles=members)
        parts.append(replace(book, collection=collection, articles=chunk,
                             title=f"{book.title}, Volume {n + 1} of {count}",
                             links=_links_within(book.links, members),
                             page_links=_pages_within(book.page_links, members)))
    return parts
