"""Front matter: the cover page around the cover image, and the title page."""

from __future__ import annotations

from pressroom.dates import format_date
from pressroom.model import Book
from pressroom.themes import Theme
from pressroom_epub.documents import CSS_NAME, Page, page

COVER_PAGE = "cover.xhtml"
COVER_IMAGE = "images/cover.png"
TITLE_PAGE = "titlepage.xhtml"
COVER_TEMPLATE = "epub/cover.xhtml.j2"
TITLE_TEMPLATE = "epub/titlepage.xhtml.j2"
DATE_PATTERN = "MMMM YYYY"


def cover_page(book: Book, theme: Theme, publisher: str) -> Page:
    """The cover document: the cover image with its alt text, marked as the cover."""
    xhtml = theme.render(COVER_TEMPLATE, book=book, language=book.language, title="Cover",
                         css_href=CSS_NAME, image_href=COVER_IMAGE, publisher=publisher)
    return page(COVER_PAGE, "Cover", xhtml)


def title_page(book: Book, theme: Theme, publisher: str, sections: list[str],
               study: bool) -> Page:
    """The title page: title, subjects, article count, the dates spanned, the publisher."""
    dates = sorted(a.date for a in book.collection.articles if a.date is not None)
    first, last = (dates[0], dates[-1]) if dates else (None, None)
    xhtml = theme.render(
        TITLE_TEMPLATE, book=book, language=book.language, title=book.title, css_href=CSS_NAME,
        subjects=sections or [book.collection.title], count=len(book.collection.articles),
        first_date=first, last_date=last, study=study, publisher=publisher,
        first_text=format_date(first, DATE_PATTERN, book.language),
        last_text=format_date(last, DATE_PATTERN, book.language),
    )
    return page(TITLE_PAGE, book.title, xhtml)
