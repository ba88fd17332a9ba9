"""Articles into collections: one per subject by default, or one for everything."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pressroom.model import Article, Collection
from pressroom.slugs import safe_slug

GROUPINGS = ("subject", "none")
ORDERS = ("id", "title", "date", "url")


def _order_key(order: str) -> Callable[[Article], tuple[Any, ...]]:
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; choose one of: {', '.join(ORDERS)}")

    def key(article: Article) -> tuple[Any, ...]:
        primary: Any = {
            "id": (0, article.id, "") if isinstance(article.id, int) else (1, 0, str(article.id)),
            "title": article.question.casefold(),
            "date": article.date.isoformat() if article.date else "",
            "url": article.url,
        }[order]
        return (primary, article.url)

    return key


def group_articles(articles: Iterable[Article], by: str = "subject", order: str = "id",
                   site_title: str = "All articles") -> list[Collection]:
    """Group articles into collections with a stable order inside and between them."""
    if by not in GROUPINGS:
        raise ValueError(f"unknown grouping {by!r}; choose one of: {', '.join(GROUPINGS)}")
    sort_key = _order_key(order)
    if by == "none":
        items = tuple(sorted(articles, key=sort_key))
        return [Collection(safe_slug(site_title, "all"), site_title, items)] if items else []
    groups: dict[str, list[Article]] = {}
    for article in articles:
        groups.setdefault(article.subject, []).append(article)
    return [
        Collection(safe_slug(subject, "articles"), subject, tuple(sorted(group, key=sort_key)))
        for subject, group in sorted(groups.items(), key=lambda kv: kv[0].casefold())
    ]
