"""One article's chapter: the shared article fragment in an XHTML page, in parts if large."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from pressroom.model import Book, RenderedArticle
from pressroom.pages import Href, RelatedItem, article_fragment
from pressroom.themes import Theme
from pressroom_epub.documents import CSS_NAME, Page, chapter_name, page
from pressroom_epub.split import split_chapter

CHAPTER_TEMPLATE = "epub/chapter.xhtml.j2"


def chapter_href(key: str) -> str:
    """A link from one chapter to an article's heading (both are in text/)."""
    return f"{chapter_name(key).rpartition('/')[2]}#{key}"


def member_href(book: Book) -> Href:
    """`chapter_href` for the articles of this book; None for any other (another volume's)."""
    members = frozenset(a.key for a in book.collection.articles)
    return lambda key: chapter_href(key) if key in members else None


def chapter_pages(book: Book, theme: Theme, rendered: RenderedArticle, *, href: Href,
                  study: bool, cited_by: Sequence[RelatedItem], limit: int) -> list[Page]:
    """The article's page, or its parts when the page would be larger than `limit` bytes."""
    article = rendered.article
    fragment = article_fragment(theme, book, rendered, internal_href=href, study=study,
                                cited_by=cited_by)
    xhtml = theme.render(CHAPTER_TEMPLATE, language=book.language, title=article.question,
                         css_href=f"../{CSS_NAME}", fragment=Markup(fragment))
    first = page(chapter_name(article.key), article.question, xhtml)
    return split_chapter(first, article.key, article.question, limit)
