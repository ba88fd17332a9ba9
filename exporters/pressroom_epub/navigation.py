"""The navigation document (contents and landmarks) and the same contents for the NCX."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from ebooklib import epub

from pressroom.model import Book
from pressroom.themes import Theme
from pressroom_epub.a11y import document_problems, landmark_problems
from pressroom_epub.documents import CSS_NAME, Page, page

NAV_NAME = "nav.xhtml"
NAV_TEMPLATE = "epub/nav.xhtml.j2"


@dataclass(frozen=True)
class NavEntry:
    """One line of the contents: a link (or a section label) with nested lines."""

    title: str
    href: str | None
    children: tuple[NavEntry, ...] = ()

    def first_href(self) -> str:
        """This entry's link, or its first descendant's (an NCX point needs a target)."""
        if self.href:
            return self.href
        return next(child.first_href() for child in self.children)


@dataclass(frozen=True)
class Landmark:
    """A landmarks entry: the `epub:type` of a major part of the book and where it is."""

    kind: str
    href: str
    title: str


def nav_page(book: Book, theme: Theme, title: str, toc: Sequence[NavEntry],
             landmarks: Sequence[Landmark]) -> Page:
    """The EPUB 3 navigation document, from the theme's template, checked for its landmarks."""
    xhtml = theme.render(NAV_TEMPLATE, language=book.language, title=title, css_href=CSS_NAME,
                         toc=toc, landmarks=landmarks)
    expected = tuple(mark.kind for mark in landmarks)
    nav = page(NAV_NAME, title, xhtml,
               check=lambda root: document_problems(root) + landmark_problems(root, expected))
    nav.properties.append("nav")
    return nav


def ncx_toc(entries: Sequence[NavEntry]) -> list[object]:
    """The contents as ebooklib's toc (Links and Sections), from which it writes the NCX."""
    ids = count(1)

    def convert(entry: NavEntry) -> object:
        if not entry.children:
            return epub.Link(entry.href, entry.title, f"nav-{next(ids)}")
        section = epub.Section(entry.title, entry.first_href())
        return section, [convert(child) for child in entry.children]

    return [convert(entry) for entry in entries]
