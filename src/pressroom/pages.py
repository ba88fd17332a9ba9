"""Article pages from the theme's shared template, for every exporter that shows articles."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from pressroom.dates import format_date
from pressroom.model import Book, RelatedTarget, RenderedArticle
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
        return RelatedItem(target.link.title, internal_href(target.internal_key), True)
    return RelatedItem(target.link.title, target.absolute_url, False)


def referenced_by(book: Book, internal_href: Callable[[str], str]
                  ) -> dict[str, list[RelatedItem]]:
    """For each article key, the articles of this book whose related links point to it.

    Read from the collection's article records (not the rendered bodies), in book order.
    """
    found: dict[str, list[RelatedItem]] = {}
    for article in book.collection.articles:
        item = RelatedItem(article.question, internal_href(article.key), True)
        for target in book.related_targets(article):
            key = target.internal_key
            if key is not None and key != article.key and item not in found.get(key, ()):
                found.setdefault(key, []).append(item)
    return found


def article_fragment(theme: Theme, book: Book, rendered: RenderedArticle,
                     internal_href: Callable[[str], str], *, study: bool = False,
                     cited_by: Sequence[RelatedItem] = ()) -> str:
    """One article as an XHTML `<section>`: question heading, date line, answer, related.

    With `study`, the question comes first with a link to the answer, which links back,
    and `cited_by` (the articles that point here) is listed after "See also".
    """
    article = rendered.article
    return theme.render(
        ARTICLE_TEMPLATE,
        article=article,
        anchor=article.key,
        body=Markup(rendered.html),
        date_text=format_date(article.date, article.date_format, book.language),
        related=related_items(book, rendered, internal_href),
        study=study,
        referenced_by=list(cited_by) if study else [],
    )
