"""Article pages from the theme's shared template, for every exporter that shows articles."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup

from pressroom.dates import format_date
from pressroom.model import Book, RelatedTarget, RenderedArticle
from pressroom.render.links import resolve_markers
from pressroom.themes import Theme

ARTICLE_TEMPLATE = "article.html.j2"
# An article key to a link inside the output, or None when the output does not hold it.
Href = Callable[[str], str | None]


@dataclass(frozen=True)
class RelatedItem:
    """A related question ready for a template: title, href, inside this book or not."""

    title: str
    href: str
    internal: bool


def related_items(book: Book, rendered: RenderedArticle,
                  internal_href: Href) -> list[RelatedItem]:
    """Related links resolved for this book: `internal_href(key)` inside, the site URL outside.

    A target `internal_href` cannot link to (an article in another volume) goes to the site.
    """
    items = []
    for target in book.related_targets(rendered.article):
        if target.internal_key is not None and internal_href(target.internal_key) is None:
            target = replace(target, internal_key=None)
        items.append(_item(target, internal_href))
    return items


def _item(target: RelatedTarget, internal_href: Callable[[str], str]) -> RelatedItem:
    if target.internal_key is not None:
        return RelatedItem(target.title, internal_href(target.internal_key), True)
    return RelatedItem(target.title, target.absolute_url, False)


def referenced_by(book: Book, internal_href: Href) -> dict[str, list[RelatedItem]]:
    """For each article key, the articles of this book whose related links point to it.

    Read from the collection's article records (not the rendered bodies), in book order.
    """
    found: dict[str, list[RelatedItem]] = {}
    for article in book.collection.articles:
        href = internal_href(article.key)
        if href is None:
            continue
        item = RelatedItem(article.question, href, True)
        for target in book.related_targets(article):
            key = target.internal_key
            if key is None or key == article.key or internal_href(key) is None:
                continue
            if item not in found.get(key, ()):
                found.setdefault(key, []).append(item)
    return found


def article_fragment(theme: Theme, book: Book, rendered: RenderedArticle,
                     internal_href: Href, *, study: bool = False,
                     cited_by: Sequence[RelatedItem] = ()) -> str:
    """One article as an XHTML `<section>`: question heading, date line, answer, related.

    With `study`, the question comes first with a link to the answer, which links back,
    and `cited_by` (the articles that point here) is listed after "See also". Links in
    the body to other pages point at their chapter (`internal_href(key)`) or their URL.
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
        study=study,
        referenced_by=list(cited_by) if study else [],
    )


def site_body(book: Book, rendered: RenderedArticle) -> str:
    """The article's body with every link to another page at its URL on the site (feeds)."""
    return resolve_markers(rendered.html, rendered.links,
                           book.page_links.get(rendered.article.key, {}), lambda key: None)
