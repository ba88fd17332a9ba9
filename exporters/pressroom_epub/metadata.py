"""OPF metadata: identity, dates, creator, and the schema.org accessibility properties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ebooklib
from ebooklib import epub

from pressroom.model import Book

BASE_FEATURES = ("structuralNavigation", "tableOfContents", "readingOrder")


def modified_utc(book: Book) -> dt.datetime:
    """The book's modification time in UTC (naive times are taken as UTC)."""
    if book.modified.tzinfo is None:
        return book.modified.replace(tzinfo=dt.UTC)
    return book.modified.astimezone(dt.UTC)


def describe(package: epub.EpubBook, book: Book, chapters: Sequence[epub.EpubHtml]) -> None:
    """Set title, language, identifier, author, date, subject and accessibility metadata."""
    package.set_identifier(book.identifier)
    package.set_title(book.title)
    package.set_language(book.language)
    package.add_author(book.author)
    package.add_metadata("DC", "date", modified_utc(book).date().isoformat())
    package.add_metadata("DC", "subject", book.collection.title)
    mathml = any("mathml" in chapter.properties for chapter in chapters)
    images = any(item.get_type() in (ebooklib.ITEM_IMAGE, ebooklib.ITEM_COVER)
                 for item in package.get_items())
    modes = ["textual", "visual"] if images else ["textual"]
    features = [*BASE_FEATURES, "MathML"] if mathml else list(BASE_FEATURES)
    properties = [
        *(("schema:accessMode", mode) for mode in modes),
        ("schema:accessModeSufficient", "textual"),
        *(("schema:accessibilityFeature", feature) for feature in features),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", summary(book, mathml)),
    ]
    for name, value in properties:
        package.add_metadata(None, "meta", value, {"property": name})


def summary(book: Book, mathml: bool) -> str:
    """A plain-language accessibility summary for this book."""
    text = (f"{len(book.articles)} questions and answers as structured text. Each question is "
            "a heading with its own table-of-contents entry, in reading order; related "
            "questions are linked.")
    if mathml:
        return text + " Mathematical expressions are marked up in MathML."
    if any(r.has_math for r in book.articles):
        return text + " Mathematical expressions are given as TeX source text."
    return text
