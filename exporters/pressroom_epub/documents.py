"""XHTML content documents: rendered from the theme, checked once, sized, and packaged as is."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ebooklib import epub
from lxml import etree

from pressroom_epub.a11y import Problem, document_problems
from pressroom_epub.mathfont import math_characters

XHTML_NS = "http://www.w3.org/1999/xhtml"
TEXT_DIR = "text"
CSS_NAME = "styles/epub.css"
_MANIFEST_PROPERTIES = {
    "mathml": re.compile(r"<(?:\w+:)?math[\s>]"),
    "svg": re.compile(r"<(?:\w+:)?svg[\s>]"),
}


class XhtmlDocument(epub.EpubHtml):
    """An EpubHtml holding a complete XHTML document, written as is (not re-parsed as HTML)."""

    def get_content(self, default: bytes | None = None) -> bytes:
        """The document bytes exactly as rendered from the theme."""
        return self.content


@dataclass
class Page:
    """One content document before packaging: path, title, bytes, broken rules, math characters.

    The parsed tree is not kept: a 1,000-article book would hold every tree at once.
    """

    name: str
    title: str
    data: bytes
    properties: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    math_chars: frozenset[str] = frozenset()

    @property
    def size(self) -> int:
        """The document's size in bytes, as it will be stored."""
        return len(self.data)

    def item(self, uid: str, language: str) -> XhtmlDocument:
        """The ebooklib item that writes this page into the package."""
        document = XhtmlDocument(uid=uid, file_name=self.name, title=self.title, lang=language)
        document.content = self.data
        document.properties = list(self.properties)
        return document


def parse(name: str, data: bytes) -> etree._Element:
    """Parse a document's bytes; a document that is not well-formed XML is a bug."""
    try:
        return etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"{name} is not well-formed XHTML: {exc}") from exc


def page(name: str, title: str, xhtml: str,
         check: Callable[[etree._Element], list[Problem]] = document_problems) -> Page:
    """A rendered document, parsed once to note what it contains and which rules it breaks."""
    data = xhtml.encode("utf-8")
    root = parse(name, data)
    properties = [p for p, pattern in _MANIFEST_PROPERTIES.items() if pattern.search(xhtml)]
    chars = math_characters(root) if "mathml" in properties else frozenset()
    return Page(name, title, data, properties, check(root), chars)


def page_from_tree(name: str, title: str, root: etree._Element) -> Page:
    """A page from an element tree (a split chapter), serialised as an XHTML document."""
    data = etree.tostring(root, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>")
    return page(name, title, data.decode("utf-8"))


def chapter_name(key: str, part: int = 1) -> str:
    """The package path of an article's XHTML file (or of its `part`-th piece)."""
    return f"{TEXT_DIR}/{key}.xhtml" if part == 1 else f"{TEXT_DIR}/{key}-part-{part}.xhtml"


def x(tag: str) -> str:
    """An XHTML element name in Clark notation, for lxml."""
    return f"{{{XHTML_NS}}}{tag}"

