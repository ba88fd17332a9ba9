"""OPF metadata: identity, dates, creator, and the schema.org accessibility properties."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ebooklib import epub

from pressroom.model import Book

BASE_FEATURES = ("structuralNavigation", "tableOfContents", "readingOrder")


@dataclass(frozen=True)
class Contents:
    """What the book really holds, as found while building it (for honest metadata)."""

    articles: int
    mathml: bool
    tex_math: bool
    images: bool
    alt_text: bool
    index: bool
    study: bool


def modified_utc(book: Book) -> dt.datetime:
    """The book's modification time in UTC (naive times are taken as UTC)."""
    if book.modified.tzinfo is None:
        return book.modified.replace(tzinfo=dt.UTC)
    return book.modified.astimezone(dt.UTC)


def features(contents: Contents) -> list[str]:
    """`schema:accessibilityFeature` values for what is in this book, and nothing more."""
    found = list(BASE_FEATURES)
    if contents.index:
        found.append("index")
    if contents.mathml:
        found.append("MathML")
    if contents.images and contents.alt_text:
        found.append("alternativeText")
    return found


def describe(package: epub.EpubBook, book: Book, contents: Contents, publisher: str) -> None:
    """Set title, language, identifier, author, publisher, date, subject, accessibility."""
    package.set_identifier(book.identifier)
    package.set_title(book.title)
    package.set_language(book.language)
    package.add_author(book.author)
    package.add_metadata("DC", "publisher", publisher)
    package.add_metadata("DC", "date", modified_utc(book).date().isoformat())
    package.add_metadata("DC", "subject", book.collection.title)
    modes = ["textual", "visual"] if contents.images else ["textual"]
    properties = [
        *(("schema:accessMode", mode) for mode in modes),
        ("schema:accessModeSufficient", "textual"),
        *(("schema:accessibilityFeature", feature) for feature in features(contents)),
        ("schema:accessibilityHazard", "none"),
        ("schema:accessibilitySummary", summary(contents)),
    ]
    for name, value in properties:
        package.add_metadata(None, "meta", value, {"property": name})


def summary(contents: Contents) -> str:
    """A plain-language accessibility summary for this book."""
    text = (f"{contents.articles} questions and answers as structured text. Each question is "
            "a heading with its own table-of-contents entry, in reading order; related "
            "questions are linked.")
    if contents.study:
        text += (" Study layout: each answer follows its question on a page of its own and "
                 "links back to it; articles that refer to each other are linked both ways.")
    if contents.index:
        text += " A keyword index links each term to the questions that discuss it."
    if contents.images and contents.alt_text:
        text += " Every image has a text alternative."
    if contents.mathml:
        return text + " Mathematical expressions are marked up in MathML."
    if contents.tex_math:
        return text + " Mathematical expressions are given as TeX source text."
    return text
