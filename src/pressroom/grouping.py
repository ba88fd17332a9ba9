"""Articles into collections: one per subject or top folder (section), or one for everything."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pressroom.model import Article, ArticleRecord, Collection, SectionRecord
from pressroom.profiles import ORDERS as PROFILE_ORDERS
from pressroom.slugs import safe_slug

GROUPINGS = ("subject", "section", "none")
ORDERS = ("auto", "id", "title", "date", "url", "weight")
Member = Article | ArticleRecord


def resolve_order(order: str, profile: str) -> str:
    """`auto` becomes the profile's own order (Hugo by weight, Jekyll by date, else id)."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; choose one of: {', '.join(ORDERS)}")
    return PROFILE_ORDERS.get(profile, "id") if order == "auto" else order


def _order_key(order: str) -> Callable[[Member], tuple[Any, ...]]:
    order = resolve_order(order, "")

    def key(article: Member) -> tuple[Any, ...]:
        if order == "weight":  # as Hugo sorts: weighted first, then newest, then title
            newest = -(article.date or dt.date.min).toordinal()
            return (not article.weight, article.weight or 0, newest,
                    article.question.casefold(), article.url)
        primary: Any = {
            "id": (0, article.id, "") if isinstance(article.id, int) else (1, 0, str(article.id)),
            "title": article.question.casefold(),
            "date": article.date.isoformat() if article.date else "",
            "url": article.url,
        }[order]
        return (primary, article.url)

    return key


def group_articles(articles: Iterable[Member], by: str = "subject", order: str = "id",
                   site_title: str = "All articles",
                   sections: Sequence[SectionRecord] = ()) -> list[Collection]:
    """Group articles into collections with a stable order inside and between them.

    By `section`, each top folder is a book named by its section file (`_index.md`) when
    there is one, and books follow the sections' weights.
    """
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; choose one of: {', '.join(GROUPINGS)}")
    sort_key = _order_key(order)
    if by == "none":
        items = tuple(sorted(articles, key=sort_key))
        return [Collection(safe_slug(site_title, "all"), site_title, items)] if items else []
    groups: dict[str, list[Member]] = {}
    for article in articles:
        groups.setdefault(article.subject if by == "subject" else article.section,
                          []).append(article)
    if by == "section":
        return _by_section(groups, sort_key, site_title, sections)
    return [
        Collection(safe_slug(subject, "articles"), subject, tuple(sorted(group, key=sort_key)))
        for subject, group in sorted(groups.items(), key=lambda kv: kv[0].casefold())
    ]


def _by_section(groups: dict[str, list[Member]], sort_key: Callable[[Member], tuple[Any, ...]],
                site_title: str, sections: Sequence[SectionRecord]) -> list[Collection]:
    described = {section.path: section for section in sections}
    books = []
    for folder, group in groups.items():
        section = described.get(folder)
        title = section.title if section else (
            folder.replace("-", " ").replace("_", " ").title() if folder else site_title)
        weight = section.weight if section and section.weight else None
        books.append(((weight is None, weight or 0, title.casefold()),
                      Collection(safe_slug(folder or title, "home"), title,
                                 tuple(sorted(group, key=sort_key)))))
    return [collection for _, collection in sorted(books, key=lambda item: item[0])]
