"""One book as a single HTML document for WeasyPrint: cover, contents, then every article."""

from __future__ import annotations

import html
import re
from collections import Counter
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin

from markupsafe import Markup

from pressroom.dates import format_date
from pressroom.keywords import keyword_index
from pressroom.model import Asset, Book
from pressroom.pages import article_fragment
from pressroom.themes import Theme

BOOK_TEMPLATE = "pdf/book.html.j2"
ASSET_BASE = "file:///pressroom-assets/"  # image srcs resolve here; the fetcher serves them
MAX_KEYWORDS = 12
_SRC = re.compile(r'\ssrc="([^"]*)"')


def internal_href(key: str) -> str:
    """Links between articles of the same book point at the article's anchor."""
    return f"#{key}"


def generator() -> str:
    """The generator name and version written into the PDF metadata."""
    try:
        return f"pressroom {version('pressroom')}"
    except PackageNotFoundError:
        return "pressroom"


def book_keywords(book: Book) -> list[str]:
    """The book's most frequent article keywords, most common first, ties alphabetical."""
    counts = Counter(k.strip() for r in book.articles for k in r.article.keywords if k.strip())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    return [keyword for keyword, _ in ranked[:MAX_KEYWORDS]]


def book_html(theme: Theme, book: Book) -> str:
    """The whole book as one HTML document, rendered through the theme's PDF template.

    It ends with the keyword index, whose page numbers the stylesheet fills in.
    """
    fragments, tagged = [], []
    for rendered in book.articles:
        fragments.append(Markup(article_fragment(theme, book, rendered, internal_href)))
        tagged.append((rendered.article.key, rendered.article.keywords))
    count = len(book.articles)
    return theme.render(
        BOOK_TEMPLATE,
        book=book,
        subtitle=f"{count} question{'s' if count != 1 else ''} and answers",
        date_text=format_date(book.modified.date(), "MMMM YYYY", book.language),
        timestamp=book.modified.isoformat(timespec="seconds"),
        keywords=book_keywords(book),
        generator=generator(),
        fragments=fragments,
        index=keyword_index(tagged),
    )


def book_assets(book: Book, base_url: str) -> dict[str, Asset]:
    """Each article's assets by the absolute URL its `src` has against `base_url`."""
    return {urljoin(base_url, asset.href): asset
            for rendered in book.articles for asset in rendered.assets}


def image_owners(book: Book, base_url: str) -> dict[str, str]:
    """Each absolute image URL in the book, mapped to the source file that uses it."""
    owners: dict[str, str] = {}
    for rendered in book.articles:
        for src in _SRC.findall(rendered.html):
            owners.setdefault(urljoin(base_url, html.unescape(src)), str(rendered.article.source))
    return owners
