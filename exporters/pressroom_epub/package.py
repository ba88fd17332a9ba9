"""A Book as an ebooklib package: cover, stylesheet, one XHTML file per article, nav and NCX."""

from __future__ import annotations

import re
from pathlib import Path

from ebooklib import epub
from lxml import etree
from markupsafe import Markup

from pressroom.model import Book, RenderedArticle
from pressroom.pages import article_fragment
from pressroom.themes import Theme
from pressroom_epub.cover import cover_png
from pressroom_epub.metadata import describe

TEXT_DIR = "text"
CSS_NAME = "styles/epub.css"
COVER_PAGE = "cover.xhtml"
COVER_IMAGE = "images/cover.png"
NAV_NAME = "nav.xhtml"
CHAPTER_TEMPLATE = "epub/chapter.xhtml.j2"
COVER_TEMPLATE = "epub/cover.xhtml.j2"
_MANIFEST_PROPERTIES = {
    "mathml": re.compile(r"<(?:\w+:)?math[\s>]"),
    "svg": re.compile(r"<(?:\w+:)?svg[\s>]"),
}


class XhtmlDocument(epub.EpubHtml):
    """An EpubHtml holding a complete XHTML document, written as is (not re-parsed as HTML)."""

    def get_content(self, default: bytes | None = None) -> bytes:
        """The document bytes exactly as rendered from the theme."""
        return self.content


def chapter_name(key: str) -> str:
    """The package path of an article's XHTML file."""
    return f"{TEXT_DIR}/{key}.xhtml"


def build_package(book: Book, theme: Theme, content_dir: Path, toc_title: str,
                  cover_image: bool) -> epub.EpubBook:
    """Assemble the whole EPUB package for one book (metadata, items, spine, toc, landmarks)."""
    package = epub.EpubBook()
    css = epub.EpubItem(uid="css", file_name=CSS_NAME, media_type="text/css",
                        content=theme.css("epub").encode("utf-8"))
    package.add_item(css)
    cover = _cover_page(book, theme)
    package.add_item(cover)
    if cover_image:
        package.set_cover(COVER_IMAGE, cover_png(book, theme), create_page=False)
    chapters = [_chapter(book, theme, rendered) for rendered in book.articles]
    names = [chapter.file_name for chapter in chapters]
    if len(set(names)) != len(names):
        clashes = sorted({name for name in names if names.count(name) > 1})
        raise ValueError(f"book {book.slug}: article keys clash: {', '.join(clashes)}")
    for chapter in chapters:
        package.add_item(chapter)
    for n, (name, path) in enumerate(_assets(book, content_dir).items(), start=1):
        package.add_item(epub.EpubImage(uid=f"img-{n}", file_name=name, content=path.read_bytes()))
    nav = epub.EpubNav(uid="nav", file_name=NAV_NAME, title=toc_title)
    nav.add_item(css)
    package.add_item(nav)
    package.add_item(epub.EpubNcx())
    package.toc = chapters
    package.spine = [cover, nav, *chapters]
    package.guide = [
        {"type": "cover", "href": COVER_PAGE, "title": book.title},
        {"type": "toc", "href": NAV_NAME, "title": toc_title},
        {"type": "text", "href": chapters[0].file_name, "title": chapters[0].title},
    ]
    describe(package, book, chapters)
    return package


def _document(uid: str, name: str, title: str, language: str, xhtml: str) -> XhtmlDocument:
    try:
        etree.fromstring(xhtml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"{name} is not well-formed XHTML: {exc}") from exc
    document = XhtmlDocument(uid=uid, file_name=name, title=title, lang=language)
    document.content = xhtml.encode("utf-8")
    document.properties = [p for p, pattern in _MANIFEST_PROPERTIES.items()
                           if pattern.search(xhtml)]
    return document


def _chapter(book: Book, theme: Theme, rendered: RenderedArticle) -> XhtmlDocument:
    article = rendered.article
    fragment = article_fragment(theme, book, rendered,
                                internal_href=lambda key: f"{key}.xhtml#{key}")
    xhtml = theme.render(CHAPTER_TEMPLATE, language=book.language, title=article.question,
                         css_href=f"../{CSS_NAME}", fragment=Markup(fragment))
    return _document(f"ch-{article.key}", chapter_name(article.key), article.question,
                     book.language, xhtml)


def _cover_page(book: Book, theme: Theme) -> XhtmlDocument:
    xhtml = theme.render(COVER_TEMPLATE, book=book, language=book.language, css_href=CSS_NAME)
    return _document("cover", COVER_PAGE, book.title, book.language, xhtml)


def _assets(book: Book, content_dir: Path) -> dict[str, Path]:
    """Embedded images, placed so the renderer's content-relative `src` resolves from text/."""
    root = content_dir.resolve()
    found: dict[str, Path] = {}
    for rendered in book.articles:
        for asset in rendered.assets:
            found[f"{TEXT_DIR}/{asset.resolve().relative_to(root).as_posix()}"] = asset
    return dict(sorted(found.items()))
