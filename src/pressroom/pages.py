"""Article pages from the theme's shared template, for every exporter that shows articles."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from pressroom.dates import format_date
from pressroom.model import Book, RelatedTarget, RenderedArticle
from pressroom.render.links import resolve_markers
from pressroom.themes import Theme

ARTICLE_TEMPLATE = "article.html.j2"


@dataclass(frozen=True)
class RelatedItem:
    """A related question ready for a template: title, href, inside this book or not."""

    title: str
    href: str
    internal: bool


def related_items(book: Book, rendered: RenderedArticle,
                  internal_href: Callable[[str], str]) -> list[RelatedItem]:
    """Related links resolved for this book: `internal_href(key)` inside, the site URL outside."""
    items = []
    for target in book.related_targets(rendered.article):
        items.append(_item(target, internal_href))
    return items


def _item(target: RelatedTarget, internal_href: Callable[[str], str]) -> RelatedItem:
    if target.internal_key is not None:
        return RelatedItem(target.title, internal_href(target.internal_key), True)
    return RelatedItem(target.title, target.absolute_url, False)


def article_fragment(theme: Theme, book: Book, rendered: RenderedArticle,
                     internal_href: Callable[[str], str]) -> str:
    """One article as an XHTML `<section>`: question heading, date line, answer, related.

    Links to other pages point at their chapter (`internal_href(key)`) or their URL.
    """
    article = rendered.article
    return theme.render(
        ARTICLE_TEMPLATE,
        article=article,
        anchor=article.key,
        body=Markup(resolve_markers(rendered.html, rendered.links,
                                    book.page_links.get(article.key, {}), internal_href)),
        date_text=format_date(article.date, article.date_format, book.language),
        related=related_items(book, rendered, internal_href),
    )
