"""A Book as an ebooklib package: front matter, chapters, index, nav and NCX, checked as built."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ebooklib import epub

from pressroom.errors import ContentError
from pressroom.exporter import ExportContext
from pressroom.keywords import keyword_index
from pressroom.model import Asset, Book, RenderedArticle
from pressroom.pages import referenced_by
from pressroom.render.highlight import theme_code_css
from pressroom.slugs import safe_slug
from pressroom_epub.chapters import chapter_pages, member_href
from pressroom_epub.cover import cover_png
from pressroom_epub.documents import CSS_NAME, TEXT_DIR, Page
from pressroom_epub.front import COVER_IMAGE, COVER_PAGE, TITLE_PAGE, cover_page, title_page
from pressroom_epub.index import IndexLink, index_pages
from pressroom_epub.mathfont import FONT_FACE, FONT_MEDIA_TYPE, FONT_NAME, math_font
from pressroom_epub.metadata import Contents, describe
from pressroom_epub.navigation import NAV_NAME, Landmark, NavEntry, nav_page, ncx_toc
from pressroom_epub.options import EpubOptions


class Checker:
    """Reports the rules each page breaks, and pages larger than the size limit."""

    def __init__(self, book: Book, ctx: ExportContext, limit: int) -> None:
        self.book, self.ctx, self.limit = book, ctx, limit
        self.alt_text = True

    def check(self, page: Page, rendered: RenderedArticle | None = None) -> None:
        """Content at fault is a ContentError on the article; anything else is a warning."""
        for problem in page.problems:
            if problem.rule == "image-alt":
                self.alt_text = False
            if problem.content and rendered is not None:
                article = rendered.article
                self.ctx.error(ContentError(
                    article.source, article.line_of("answer"), problem.message,
                    "describe what the image shows: ![a short description](picture.png)"))
            else:
                self.ctx.warn(f"epub: {self.book.slug}: {page.name}: {problem.message}")
        if page.size > self.limit:
            self.ctx.warn(f"epub: {self.book.slug}: {page.name} is {page.size} bytes, more "
                          f"than max_file_kb allows ({self.limit})")


@dataclass
class Chapters:
    """What one pass over the rendered articles gives: pages, and what the book holds."""

    pages: dict[str, list[Page]] = field(default_factory=dict)
    tagged: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    questions: dict[str, str] = field(default_factory=dict)
    assets: dict[str, Asset] = field(default_factory=dict)
    math_chars: set[str] = field(default_factory=set)
    mathml: bool = False
    tex: bool = False


def _chapters(book: Book, ctx: ExportContext, options: EpubOptions,
              checker: Checker) -> Chapters:
    """Every article's pages, checked as they are made, in one pass over the articles."""
    href = member_href(book)
    cited = referenced_by(book, href) if options.study else {}
    found = Chapters()
    for rendered in book.articles:
        article = rendered.article
        if article.key in found.pages:
            raise ValueError(f"book {book.slug}: article key {article.key} is used twice")
        pages = chapter_pages(book, ctx.theme, rendered, href=href, study=options.study,
                              cited_by=cited.get(article.key, ()), limit=options.max_file_bytes)
        for part in pages:
            checker.check(part, rendered)
            found.mathml = found.mathml or "mathml" in part.properties
            found.math_chars.update(part.math_chars)
        found.tex = found.tex or rendered.has_math
        found.pages[article.key] = pages
        found.tagged.append((article.key, article.keywords))
        found.questions[article.key] = article.question
        found.assets.update((asset.href, asset) for asset in rendered.assets)
    return found


def _sections(book: Book) -> list[str]:
    """The book's sections (article subjects) in title order, when there are several."""
    subjects = sorted({a.subject for a in book.collection.articles}, key=str.casefold)
    return subjects if len(subjects) > 1 else []


def _chapter_entry(pages: list[Page]) -> NavEntry:
    """A question's contents line, with its continuation parts nested under it."""
    parts = tuple(NavEntry(p.title, p.name) for p in pages[1:])
    return NavEntry(pages[0].title, pages[0].name, parts)


def _contents(book: Book, chapters: dict[str, list[Page]], sections: list[str],
              front: list[Page], index: list[Page], letters: list[IndexLink],
              index_title: str) -> tuple[list[NavEntry], list[list[Page]]]:
    """The contents lines and the chapters in reading order (grouped when sectioned)."""
    subject = {a.key: a.subject for a in book.collection.articles}
    order = [key for section in sections for key in chapters if subject[key] == section] \
        if sections else list(chapters)
    toc = [NavEntry("Title page", p.name) for p in front if p.name == TITLE_PAGE]
    if sections:
        toc += [NavEntry(section, None, tuple(_chapter_entry(chapters[k]) for k in order
                                              if subject[k] == section)) for section in sections]
    else:
        toc += [_chapter_entry(chapters[key]) for key in order]
    if index:
        toc.append(NavEntry(index_title, index[0].name, tuple(
            NavEntry(link.title, link.href) for link in letters)))
    return toc, [chapters[key] for key in order]


def _landmarks(front: list[Page], first: Page, index: list[Page],
               toc_title: str, index_title: str) -> list[Landmark]:
    kinds = {COVER_PAGE: "cover", TITLE_PAGE: "titlepage"}
    marks = [Landmark(kinds[p.name], p.name, p.title) for p in front]
    marks += [Landmark("toc", f"{NAV_NAME}#toc", toc_title),
              Landmark("bodymatter", first.name, first.title)]
    if index:
        marks.append(Landmark("index", index[0].name, index_title))
    return marks


def _assets(assets: dict[str, Asset]) -> dict[str, Asset]:
    """Embedded images, placed so the renderer's content-relative `src` resolves from text/."""
    return {f"{TEXT_DIR}/{href}": assets[href] for href in sorted(assets)}


def _add(package: epub.EpubBook, pages: Sequence[Page], language: str,
         used: set[str]) -> list[epub.EpubHtml]:
    """Add pages to the package with stable, unique manifest ids; return their items."""
    items = []
    for page in pages:
        uid = f"x-{safe_slug(page.name.removesuffix('.xhtml'), 'page')}"
        if uid in used:
            raise ValueError(f"two documents would be {page.name}: article keys clash")
        used.add(uid)
        item = page.item(uid, language)
        package.add_item(item)
        items.append(item)
    return items


def _add_styles(package: epub.EpubBook, css: str, math_chars: set[str]) -> None:
    """The theme's stylesheet, and the math font the book's MathML needs (when it has any)."""
    if math_chars:
        package.add_item(epub.EpubItem(uid="math-font", file_name=FONT_NAME,
                                       media_type=FONT_MEDIA_TYPE, content=math_font(math_chars)))
        css = FONT_FACE + css
    package.add_item(epub.EpubItem(uid="css", file_name=CSS_NAME, media_type="text/css",
                                   content=css.encode("utf-8")))


def build_package(book: Book, ctx: ExportContext, options: EpubOptions) -> epub.EpubBook:
    """Assemble one book's EPUB package, checking every document it writes."""
    theme = ctx.theme
    publisher = options.publisher or book.author
    sections = _sections(book)
    checker = Checker(book, ctx, options.max_file_bytes)
    package = epub.EpubBook()
    front = [title_page(book, theme, publisher, sections, options.study)]
    if options.cover_image:
        package.set_cover(COVER_IMAGE, cover_png(book, theme), create_page=False)
        front.insert(0, cover_page(book, theme, publisher))
    chapters = _chapters(book, ctx, options, checker)
    _add_styles(package, theme.css("epub") + theme_code_css(theme),
                chapters.math_chars if options.math_font else set())
    groups = keyword_index(chapters.tagged) if options.index else []
    index, letters = index_pages(book, theme, groups, chapters.questions, options.index_title,
                                 options.max_file_bytes)
    toc, ordered = _contents(book, chapters.pages, sections, front, index, letters,
                             options.index_title)
    landmarks = _landmarks(front, ordered[0][0], index, options.toc_title, options.index_title)
    nav = nav_page(book, theme, options.toc_title, toc, landmarks)
    for page in [*front, *index, nav]:
        checker.check(page)
    used: set[str] = set()
    spine = _add(package, [*front, nav], book.language, used)
    for pages in ordered:
        spine += _add(package, pages, book.language, used)
    spine += _add(package, index, book.language, used)
    assets = _assets(chapters.assets)
    for n, (name, asset) in enumerate(assets.items(), start=1):
        package.add_item(epub.EpubImage(uid=f"img-{n}", file_name=name, content=asset.read()))
    package.add_item(epub.EpubNcx())
    package.toc = ncx_toc(toc)
    package.spine = spine
    describe(package, book, Contents(
        articles=len(chapters.pages), mathml=chapters.mathml, tex_math=chapters.tex,
        images=bool(assets) or options.cover_image, alt_text=checker.alt_text,
        index=bool(index), study=options.study), publisher)
    return package
