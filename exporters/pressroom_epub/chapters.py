"""One article's chapter: the shared article fragment in an XHTML page, in parts if large."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from pressroom.model import Book, RenderedArticle
from pressroom.pages import RelatedItem, article_fragment
from pressroom.themes import Theme
from pressroom_epub.documents import CSS_NAME, Page, chapter_name, page
from pressroom_epub.split import split_chapter

CHAPTER_TEMPLATE = "epub/chapter.xhtml.j2"


def chapter_href(key: str) -> str:
    """A link from one chapter (or the index, also in text/) to an article's heading."""
    return f"{chapter_name(key).rpartition('/')[2]}#{key}"


def chapter_pages(book: Book, theme: Theme, rendered: RenderedArticle, *, study: bool,
                  cited_by: Sequence[RelatedItem], limit: int) -> list[Page]:
    """The article's page, or its parts when the page would be larger than `limit` bytes."""
    article = rendered.article
    fragment = article_fragment(theme, book, rendered, internal_href=chapter_href,
                                study=study, cited_by=cited_by)
    xhtml = theme.render(CHAPTER_TEMPLATE, language=book.language, title=article.question,
                         css_href=f"../{CSS_NAME}", fragment=Markup(fragment))
    first = page(chapter_name(article.key), article.question, xhtml)
    return split_chapter(first, article.key, article.question, limit)
