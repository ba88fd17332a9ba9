"""A book (or one piece of it) as HTML for WeasyPrint, through the theme's PDF template."""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import urljoin

from markupsafe import Markup

from pressroom.dates import format_date
from pressroom.keywords import keyword_index
from pressroom.model import Asset, Book, RenderedArticle
from pressroom.pages import article_fragment
from pressroom.themes import Theme
from pressroom_pdf.pieces import ContentsEntry, ContentsGroup, IndexPart, index_parts

BOOK_TEMPLATE = "pdf/book.html.j2"
ASSET_BASE = "file:///pressroom-assets/"  # image srcs resolve here; the fetcher serves them
MAX_KEYWORDS = 12
WHOLE = ("front", "body", "back")
_SRC = re.compile(r'\ssrc="([^"]*)"')
_LABELLED_SVG = re.compile(r'<svg\b[^>]*\saria-label="([^"]*)"[^>]*>')
Tagged = Sequence[tuple[str, Sequence[str]]]


def internal_href(key: str) -> str:
    """Links between articles of the same book point at the article's anchor."""
    return f"#{key}"


def generator() -> str:
    """The generator name and version written into the PDF metadata."""
    try:
        return f"pressroom {version('pressroom')}"
    except PackageNotFoundError:
        return "pressroom"


def book_keywords(tagged: Tagged) -> list[str]:
    """The book's most frequent article keywords, most common first, ties alphabetical."""
    counts = Counter(k.strip() for _, keywords in tagged for k in keywords if k.strip())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
    return [keyword for keyword, _ in ranked[:MAX_KEYWORDS]]


def contents_groups(book: Book) -> list[ContentsGroup]:
    """The book's articles as runs of one subject each (the outline's and contents' groups)."""
    groups: list[tuple[str, list[ContentsEntry]]] = []
    for article in book.collection.articles:
        subject = article.subject or book.collection.title
        if not groups or groups[-1][0] != subject:
            groups.append((subject, []))
        groups[-1][1].append(ContentsEntry(article.key, article.question))
    return [ContentsGroup(title, tuple(entries)) for title, entries in groups]


def several_groups(book: Book) -> bool:
    """Whether the book's contents have more than one group (without making them)."""
    subjects = (article.subject or book.collection.title for article in book.collection.articles)
    first = next(subjects, None)
    return any(subject != first for subject in subjects)


def titled_svgs(markup: str) -> str:
    """Each labelled SVG (typeset math) with its label as its <title> too: the text a
    tagged PDF's Figure carries as its alternative description (PDF/UA-1, 7.3)."""
    return _LABELLED_SVG.sub(lambda found: f"{found.group(0)}<title>{found.group(1)}</title>",
                             markup)


def article_fragments(theme: Theme, book: Book, articles: Sequence[RenderedArticle]
                      ) -> tuple[list[Markup], list[tuple[str, tuple[str, ...]]]]:
    """Each of the book's `articles` as a section, and its (key, keywords), in book order."""
    fragments, tagged = [], []
    for rendered in articles:
        fragments.append(Markup(titled_svgs(article_fragment(theme, book, rendered,
                                                             internal_href))))
        tagged.append((rendered.article.key, tuple(rendered.article.keywords)))
    return fragments, tagged


def book_html(theme: Theme, book: Book, parts: Iterable[str], *, article_break: str,
              fragments: Sequence[Markup] = (), tagged: Tagged = (),
              pages: Mapping[str, str] | None = None,
              contents: Sequence[ContentsGroup] | None = None,
              index: Sequence[IndexPart] | None = None, index_line: bool | None = None) -> str:
    """The given parts of the book as one HTML document.

    `parts`: "front" (cover, title page, contents), "contents" (more of it), "body",
    "back" (the index), "index" (more of it). `tagged` holds every article's keywords (the
    index and the metadata read them); `pages` gives printed page numbers by anchor, or
    None to let the stylesheet count. A piece gives its own `contents` or `index` (all of
    it by default), and `index_line` says whether its contents ends with the index's line.
    """
    count = len(book.collection.articles)
    whole_index = index_parts(keyword_index(tagged)) if index is None else []
    return theme.render(
        BOOK_TEMPLATE,
        book=book,
        parts=tuple(parts),
        subtitle=f"{count} question{'s' if count != 1 else ''} and answers",
        date_text=format_date(book.modified.date(), "MMMM YYYY", book.language),
        timestamp=book.modified.isoformat(timespec="seconds"),
        keywords=book_keywords(tagged),
        generator=generator(),
        groups=contents_groups(book) if contents is None else contents,
        show_groups=several_groups(book),
        fragments=fragments,
        index=whole_index if index is None else index,
        index_line=bool(whole_index) if index_line is None else index_line,
        pages=pages,
        article_break=article_break,
    )


def book_assets(articles: Sequence[RenderedArticle], base_url: str) -> dict[str, Asset]:
    """Each article's assets by the absolute URL its `src` has against `base_url`."""
    return {urljoin(base_url, asset.href): asset
            for rendered in articles for asset in rendered.assets}


def image_owners(articles: Sequence[RenderedArticle], base_url: str) -> dict[str, str]:
    """Each absolute image URL in the articles, mapped to the source file that uses it."""
    owners: dict[str, str] = {}
    for rendered in articles:
        for src in _SRC.findall(rendered.html):
            owners.setdefault(urljoin(base_url, html.unescape(src)), str(rendered.article.source))
    return owners
